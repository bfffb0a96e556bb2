package dev.steadfast.cli.web;

import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.thread.Scheduler;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Reads a request body into memory as it arrives, holding no thread while the client is slow (Jetty calls back when
 * bytes come), before the request takes any of the router's permits. The body must be complete within
 * {@link #GRACE} plus its length at {@link #MIN_RATE}; a slower one is cut (408). Bytes count against a
 * {@link BodyBudget} as they arrive (503 when it is spent) and against the route's limit (413).
 */
final class BodyReader implements Runnable {
    /** What any body may take besides its length at {@link #MIN_RATE}. */
    static final Duration GRACE = Duration.ofSeconds(10);
    /** Bytes per second a body must arrive at, on average, after {@link #GRACE}. */
    static final long MIN_RATE = 256 * 1024;

    /**
     * How the read ended: the body, or the status to refuse it with (408, 413, 503), or 0 when the client is gone. A
     * refused body has given its bytes back to the budget; a read one holds {@code body.length} of it until the caller
     * gives them back.
     */
    record Outcome(byte[] body, int refusal) {
        static Outcome refused(int status) {
            return new Outcome(null, status);
        }
    }

    private final Content.Source source;
    private final int limit;
    private final BodyBudget budget;
    private final Consumer<Outcome> done;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final long declared;
    private byte[] buffer = new byte[1024];
    private int size;
    private long taken;
    private Scheduler.Task deadline;

    /**
     * @param declared the declared length, or -1 (chunked)
     * @param limit    the most the route takes; a declared length above it is refused before this is built
     * @param done     called once, with the body or the refusal
     */
    BodyReader(Content.Source source, long declared, int limit, BodyBudget budget, Consumer<Outcome> done) {
        this.source = source;
        this.limit = limit;
        this.budget = budget;
        this.done = done;
        this.declared = declared;
    }

    /** The time a body of {@code length} bytes may take. */
    static Duration deadline(long length) {
        return GRACE.plusMillis(length * 1000 / MIN_RATE);
    }

    /** Starts reading; {@code expected} is the declared length, or the limit when none is declared. */
    void start(Scheduler scheduler, long expected) {
        deadline = scheduler.schedule(() -> finish(Outcome.refused(408)), deadline(expected).toMillis(), TimeUnit.MILLISECONDS);
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
                ByteBuffer arrived = chunk.getByteBuffer();
                int n = arrived.remaining();
                if ((long) size + n > limit) {
                    finish(Outcome.refused(413));
                    return;
                }
                if (!take(n)) {
                    finish(Outcome.refused(503));
                    return;
                }
                grow(size + n);
                arrived.get(buffer, size, n);
                size += n;
            } finally {
                chunk.release();
            }
            if (last) {
                finish(new Outcome(size == buffer.length ? buffer : Arrays.copyOf(buffer, size), 0));
                return;
            }
        }
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

    /** A failed read: too slow (Jetty's idle timeout), malformed (its status), or the client is gone (0: nobody to answer). */
    private static int status(Throwable failure) {
        if (failure instanceof TimeoutException) {
            return 408;
        }
        return failure instanceof HttpException http ? http.getCode() : 0;
    }

    private synchronized boolean take(int n) {
        if (finished.get() || !budget.take(n)) {
            return false;
        }
        taken += n;
        return true;
    }

    private void finish(Outcome outcome) {
        if (finished.compareAndSet(false, true)) {
            if (deadline != null) {
                deadline.cancel();
            }
            if (outcome.body() == null) {
                synchronized (this) {
                    budget.give(taken);
                    taken = 0;
                }
            }
            done.accept(outcome);
        }
    }
}
