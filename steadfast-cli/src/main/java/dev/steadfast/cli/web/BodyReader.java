package dev.steadfast.cli.web;

import dev.steadfast.web.internal.BodyBudget;
import dev.steadfast.web.internal.Request;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads a request body into memory as it arrives, holding no thread while the client is slow (Jetty calls back when
 * bytes come), before the request takes any of the router's permits. The body must be complete within
 * {@link #GRACE} plus its length at {@link #MIN_RATE}; a slower one is cut (408). Its bytes count against a
 * {@link BodyBudget}: as they arrive, or, for a caller who showed the token, its whole declared length up front (so two
 * large bodies cannot each get half-way and starve each other). A body the budget has no room for is read to its end
 * and dropped, then refused (503), so the client reads the answer rather than a reset connection. A body over the
 * route's limit is refused (413).
 */
final class BodyReader implements Runnable {
    /** What any body may take besides its length at {@link #MIN_RATE}. */
    static final Duration GRACE = Request.BODY_GRACE;
    /** Bytes per second a body must arrive at, on average, after {@link #GRACE}. */
    static final long MIN_RATE = Request.BODY_MIN_RATE;

    /**
     * How the read ended: the body, or the status to refuse it with (408, 413, 503, or a malformed body's), or 0 when
     * the client is gone. A read body holds {@code held} bytes of the budget until the caller gives them back; a
     * refused one has given its bytes back already.
     */
    record Outcome(byte[] body, int refusal, long held) {
        static Outcome refused(int status) {
            return new Outcome(null, status, 0);
        }
    }

    private final Content.Source source;
    private final long declared;
    private final int limit;
    private final BodyBudget budget;
    private final Consumer<Outcome> done;
    private final AtomicBoolean finished = new AtomicBoolean();
    private byte[] buffer = new byte[1024];
    private int size;
    private long taken;
    private boolean reserved;
    private boolean dropping;
    private Scheduler.Task deadline;

    /**
     * @param declared the declared length, or -1 (chunked)
     * @param limit    the most the route takes; a declared length above it is refused before this is built
     * @param done     called once, with the body or the refusal
     */
    BodyReader(Content.Source source, long declared, int limit, BodyBudget budget, Consumer<Outcome> done) {
        this.source = source;
        this.declared = declared;
        this.limit = limit;
        this.budget = budget;
        this.done = done;
    }

    /** The time a body of {@code length} bytes may take. */
    static Duration deadline(long length) {
        return GRACE.plusMillis(length * 1000 / MIN_RATE);
    }

    /**
     * Starts reading.
     *
     * @param reserve take the declared length from the budget now (a caller who showed the token)
     */
    void start(Scheduler scheduler, boolean reserve) {
        long expected = declared >= 0 ? declared : limit;
        if (reserve && declared > 0) {
            synchronized (this) {
                reserved = budget.take(declared);
                taken = reserved ? declared : 0;
                dropping = !reserved;
            }
        }
        deadline = scheduler.schedule(
                () -> finish(Outcome.refused(408)), deadline(expected).toMillis(), TimeUnit.MILLISECONDS);
        run();
    }

    @Override
    public void run() {
        while (!finished.get()) {
            Content.Chunk chunk = source.read();
            if (chunk == null) {
                source.demand(this);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                finish(Outcome.refused(status(chunk.getFailure())));
                return;
            }
            boolean last = chunk.isLast();
            try {
                if (!keep(chunk.getByteBuffer())) {
                    return;
                }
            } finally {
                chunk.release();
            }
            if (last) {
                finish(
                        dropping
                                ? Outcome.refused(503)
                                : new Outcome(size == buffer.length ? buffer : Arrays.copyOf(buffer, size), 0, taken));
                return;
            }
        }
    }

    /**
     * Keeps (or, once over the budget, drops) the bytes of a chunk; false when the read is over. Under the lock that a
     * deadline's refusal takes too, so a late chunk never writes into a dropped buffer.
     */
    private synchronized boolean keep(ByteBuffer arrived) {
        if (finished.get()) {
            return false;
        }
        int n = arrived.remaining();
        if ((long) size + n > limit) {
            finish(Outcome.refused(413));
            return false;
        }
        if (!dropping && !take(n)) {
            dropping = true;
            drop(); // nothing of it is kept: read on to the end, then say 503
        }
        if (!dropping) {
            grow(size + n);
            arrived.get(buffer, size, n);
        }
        size += n;
        return true;
    }

    /** A failed read: too slow (Jetty's idle timeout), malformed (its status), or the client is gone (0: nobody to answer). */
    private static int status(Throwable failure) {
        if (failure instanceof TimeoutException) {
            return 408;
        }
        return failure instanceof HttpException http ? http.getCode() : 0;
    }

    /**
     * Room for {@code needed} bytes: doubling, never beyond the declared length or the limit, so memory stays within
     * twice the bytes received (which the budget counts), however large a length is declared.
     */
    private void grow(int needed) {
        if (needed > buffer.length) {
            long cap = declared >= 0 ? Math.min(declared, limit) : limit;
            buffer = Arrays.copyOf(buffer, (int) Math.max(needed, Math.min(cap, (long) buffer.length * 2)));
        }
    }

    /** Counts {@code n} more bytes against the budget (already counted when the declared length was reserved). */
    private synchronized boolean take(int n) {
        if (reserved) {
            return true;
        }
        if (finished.get() || !budget.take(n)) {
            return false;
        }
        taken += n;
        return true;
    }

    private synchronized void drop() {
        buffer = new byte[0];
        budget.give(taken);
        taken = 0;
        reserved = false;
    }

    private void finish(Outcome outcome) {
        if (finished.compareAndSet(false, true)) {
            if (deadline != null) {
                deadline.cancel();
            }
            if (outcome.body() == null) {
                drop();
            }
            done.accept(outcome);
        }
    }
}
