package dev.steadfast.queue.internal.worker;

import dev.steadfast.jdbc.DatabaseUnavailableException;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.internal.store.ClaimedJob;
import dev.steadfast.queue.internal.store.Store;
import dev.steadfast.queue.internal.store.Workers;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's heartbeat: one unit of work that says the worker is alive (and on which host, for which
 * queues, listening for wake-ups where), reports what its connections lived through, renews the leases of every job
 * it holds, writes what their handlers said since the last beat (progress, log lines) and learns which of them were
 * cancelled.
 */
public final class LeaseKeeper {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

    private final ResilientDatabase db;
    private final Store store;
    private final String workerId;
    private final String host = localHostName(); // looked up once: a slow resolver must not delay every heartbeat
    private final String queues;
    private final List<String> types;
    private volatile boolean typesPublished; // written with the first heartbeat that succeeds: handlers never change
    private final Duration lease;
    private final PrivilegeDenials denials = new PrivilegeDenials(LOG);
    private volatile boolean failing; // a failure is said when it begins, not at every beat
    private final Supplier<Collection<ClaimedJob>> held;
    private final Supplier<Workers.Doorbell> doorbell;
    private final StopRequests stops;
    private final RunningAttempts attempts;

    /**
     * @param held     the jobs the worker holds now (running or waiting for a thread)
     * @param doorbell where the worker listens for wake-ups now (null while it does not)
     * @param stops    told which held jobs were cancelled meanwhile; says how many are stuck
     * @param attempts whose progress and log lines each beat writes (at most two statements for all of them)
     */
    public LeaseKeeper(
            ResilientDatabase db,
            Store store,
            String workerId,
            List<String> queues,
            List<String> types,
            Duration lease,
            Supplier<Collection<ClaimedJob>> held,
            Supplier<Workers.Doorbell> doorbell,
            StopRequests stops,
            RunningAttempts attempts) {
        this.attempts = attempts;
        this.db = db;
        this.store = store;
        this.workerId = workerId;
        this.queues = String.join(",", queues);
        this.types = List.copyOf(types);
        this.lease = lease;
        this.held = held;
        this.doorbell = doorbell;
        this.stops = stops;
    }

    /** One heartbeat; a failure is logged and the next beat tries again (leases outlast several beats). */
    public void beat() {
        try (Operation op = Operation.named("heartbeat and lease renewal")) {
            List<ClaimedJob> jobs = List.copyOf(held.get());
            NoteFlush notes = NoteFlush.forHeartbeat(attempts.all());
            Set<Long> cancelled;
            try {
                cancelled = db.read(c -> {
                    store.workers().heartbeat(c, workerId, host, queues, jobs.size(), stops.stuck(), doorbell.get());
                    if (!typesPublished) {
                        store.workers()
                                .publishTypes(c, workerId, types); // so that jobs no live worker handles get named
                    }
                    store.workers().reportHealth(c, workerId, db.connectionHealth());
                    store.leases().extendLeases(c, jobs, lease);
                    // nothing to read while the worker holds no job
                    Set<Long> asked = store.leases().cancelRequested(c, jobs);
                    notes.write(c, store); // last: the leases above are renewed (autocommit) whatever happens to it
                    return asked;
                });
                notes.written();
            } catch (DatabaseUnavailableException e) {
                notes.notWritten(); // written at a later beat, or with the outcome
                throw e;
            } catch (SQLException | RuntimeException e) {
                notes.written(); // a refusal would come back at every beat: these notes are dropped, not retried
                throw e;
            }
            typesPublished = true;
            failing = false;
            stops.cancel(cancelled);
        } catch (SQLException | RuntimeException e) {
            // the heartbeat registers the worker in sf_worker: a refusal is said (a lost connection is, elsewhere)
            if (!denials.handled("registering worker " + workerId + " (heartbeat)", e)) {
                boolean begins = !failing && !(e instanceof DatabaseUnavailableException);
                failing = true;
                if (begins) {
                    LOG.warn(
                            "worker {}'s heartbeat (its entry in sf_worker, its leases) failed: {}; trying again at the"
                                    + " next beat",
                            workerId,
                            e.toString());
                } else {
                    LOG.debug("heartbeat failed: {}", e.getMessage());
                }
            }
        }
    }

    /** A worker that stopped cleanly leaves the worker list at once; a crashed one ages out with its heartbeat. */
    public void leave() {
        try {
            db.read(c -> {
                store.workers().removeWorker(c, workerId);
                return null;
            });
        } catch (SQLException | RuntimeException e) {
            LOG.debug("could not remove worker {} from sf_worker: {}", workerId, e.getMessage());
        }
    }

    /** This machine's name, or {@code unknown}. */
    public static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
