package dev.steadfast.jdbc.internal.unit;

import dev.steadfast.jdbc.OutcomeProbe;
import dev.steadfast.jdbc.internal.classify.FailureClassifier;
import dev.steadfast.jdbc.internal.classify.FailureKind;
import dev.steadfast.jdbc.internal.metrics.ResilienceCounters;
import dev.steadfast.jdbc.internal.pool.TrackedSession;
import dev.steadfast.jdbc.internal.unit.PooledConnections.Borrowed;
import dev.steadfast.jdbc.retry.Backoff;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Finds out whether a transaction whose COMMIT was cut off committed: on a fresh connection, first
 * fence the old session (a COMMIT still in progress there would otherwise finish after we looked),
 * then look for the transaction's marker row or ask the caller's probe. Reconnects as needed.
 */
final class CommitResolver {
    private final PooledConnections connections;
    private final FailureClassifier classifier;
    private final ResilienceCounters metrics;
    private final Backoff backoff;

    CommitResolver(
            PooledConnections connections, FailureClassifier classifier, ResilienceCounters metrics, Backoff backoff) {
        this.connections = connections;
        this.classifier = classifier;
        this.metrics = metrics;
        this.backoff = backoff;
    }

    /**
     * Interrupts do not stop the resolution (the caller must learn the outcome); they are absorbed and
     * the thread's interrupt status is set again on return.
     */
    boolean committed(TrackedSession old, byte[] marker, OutcomeProbe probe, Deadline deadline)
            throws SQLException, Unresolved {
        DeferredInterrupts interrupts = new DeferredInterrupts();
        try {
            return resolve(old, marker, probe, deadline, interrupts);
        } finally {
            interrupts.restore();
        }
    }

    private boolean resolve(
            TrackedSession old, byte[] marker, OutcomeProbe probe, Deadline deadline, DeferredInterrupts interrupts)
            throws SQLException, Unresolved {
        SQLException last = null;
        for (int attempt = 1; !deadline.passed(); attempt++) {
            interrupts.absorb();
            Borrowed fresh = null;
            try {
                Borrowed borrowed = connections.borrow();
                fresh = borrowed;
                if (old == null) {
                    throw new Unresolved("the old session is unknown, so it cannot be fenced", null);
                }
                if (SessionFence.fenceAcrossServers(connections, borrowed, old, deadline)) {
                    metrics.fence();
                }
                return causally(borrowed, probe != null ? probe : c -> CommitMarkers.exists(c, marker));
            } catch (SQLException e) {
                FailureKind kind = classifier.classify(e);
                metrics.failure(kind);
                if (!kind.connectionBroken()) {
                    throw new Unresolved("checking the outcome failed: " + e.getMessage(), e);
                }
                if (fresh != null) {
                    connections.discard(fresh, kind);
                }
                last = e;
            } catch (InterruptedException e) {
                interrupts.interruptedSleep(); // while waiting for the fence: look again
            } finally {
                if (fresh != null) {
                    fresh.close();
                }
            }
            try {
                backoff.sleep(attempt, deadline.remaining());
            } catch (InterruptedException e) {
                interrupts.interruptedSleep();
            }
        }
        throw new Unresolved(
                "the database did not answer before the deadline"
                        + (last == null ? "" : " (last failure: " + last.getMessage() + ")"),
                last);
    }

    /**
     * Reads the outcome; on a Galera node only after it has applied everything the cluster committed before the read
     * ({@code wsrep_sync_wait}), so a commit made through another node is seen. The session setting is put back
     * before the connection returns to the pool.
     */
    private static boolean causally(Borrowed fresh, OutcomeProbe check) throws SQLException {
        if (fresh.session() == null || !fresh.session().facts().galera()) {
            return check.committed(fresh.connection());
        }
        try (Statement s = fresh.connection().createStatement()) {
            s.execute("SET SESSION wsrep_sync_wait = 1");
            try {
                return check.committed(fresh.connection());
            } finally {
                s.execute("SET SESSION wsrep_sync_wait = @@global.wsrep_sync_wait");
            }
        }
    }

    /** The outcome could not be established. */
    static final class Unresolved extends Exception {
        private static final long serialVersionUID = 1L;

        Unresolved(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
