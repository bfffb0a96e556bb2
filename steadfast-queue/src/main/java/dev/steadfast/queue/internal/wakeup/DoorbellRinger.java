package dev.steadfast.queue.internal.wakeup;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.jdbc.threads.DaemonThreads;
import dev.steadfast.queue.internal.store.Store;
import dev.steadfast.queue.internal.store.Workers.WorkerDoorbell;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer's side: after a job commits, one datagram to each live worker on this host that claims from the
 * job's queue. The list of doorbells comes from {@code sf_worker} and is read again at most every few seconds, on
 * a thread of its own, so an enqueue never waits for it (and a database outage never holds an enqueue that has
 * already committed); queues rung while the list is being read are rung again once it is in.
 */
public final class DoorbellRinger {
    private static final Logger LOG = LoggerFactory.getLogger(DoorbellRinger.class);
    private static final long FRESH_NANOS = TimeUnit.SECONDS.toNanos(5);
    // a worker's heartbeat publishes its doorbell every lease/3 (10 s by default); one silent for longer is gone
    private static final Duration ALIVE = Duration.ofSeconds(60);

    private final ResilientDatabase db;
    private final Store store;
    private final String host;
    private final Set<Integer> ownPorts; // workers that this producer wakes in-process
    private final ExecutorService refresher =
            Executors.newSingleThreadExecutor(DaemonThreads.named("steadfast-doorbells"));
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private volatile boolean pendingAny;
    private volatile List<WorkerDoorbell> bells = List.of();
    private volatile long loadedAt = System.nanoTime() - FRESH_NANOS - 1; // stale until first read
    private volatile CompletableFuture<Void> refresh = CompletableFuture.completedFuture(null);
    private DatagramChannel channel;

    /** @param ownPorts ports of workers woken in this process without a datagram (read at every ring) */
    public DoorbellRinger(ResilientDatabase db, Store store, String host, Set<Integer> ownPorts) {
        this.db = db;
        this.store = store;
        this.host = host;
        this.ownPorts = ownPorts;
    }

    /** Wakes the workers on this host that claim from any of {@code queues} ({@code null}: from any queue). */
    public void ring(Collection<String> queues) {
        send(bells, queues);
        if (System.nanoTime() - loadedAt > FRESH_NANOS) {
            if (queues == null) {
                pendingAny = true;
            } else {
                pending.addAll(queues);
            }
            synchronized (this) {
                if (refresh.isDone()) {
                    refresh = CompletableFuture.runAsync(this::reload, refresher);
                }
            }
        }
    }

    /**
     * Waits up to {@code timeout} for a reading of the doorbells under way and the rings it owes: a short-lived
     * producer (one command that enqueues and exits) calls it before exiting.
     */
    public void awaitSent(Duration timeout) {
        try {
            refresh.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("doorbells not read in time: {}", e.toString());
        }
    }

    private void reload() {
        try {
            bells = db.read(c -> store.workers().doorbells(c, host, ALIVE));
        } catch (SQLException | RuntimeException e) {
            LOG.debug(
                    "could not read the doorbells of workers on {}: {}",
                    host,
                    e.toString()); // polls still find the jobs
        }
        loadedAt = System.nanoTime();
        boolean any = pendingAny;
        pendingAny = false;
        List<String> owed = List.copyOf(pending);
        pending.removeAll(owed);
        send(bells, any ? null : owed);
    }

    private void send(List<WorkerDoorbell> targets, Collection<String> queues) {
        for (WorkerDoorbell bell : targets) {
            if (ownPorts.contains(bell.doorbell().port())
                    || queues != null && queues.stream().noneMatch(bell.queues()::contains)) {
                continue;
            }
            try {
                channel()
                        .send(
                                ByteBuffer.wrap(bell.doorbell().token().getBytes(StandardCharsets.US_ASCII)),
                                new InetSocketAddress(
                                        InetAddress.getLoopbackAddress(),
                                        bell.doorbell().port()));
            } catch (IOException e) {
                LOG.debug(
                        "could not ring the worker on port {}: {}",
                        bell.doorbell().port(),
                        e.toString());
            }
        }
    }

    private synchronized DatagramChannel channel() throws IOException {
        if (channel == null || !channel.isOpen()) {
            channel = DatagramChannel.open(StandardProtocolFamily.INET);
        }
        return channel;
    }
}
