package dev.steadfast.jdbc.internal.unit;

import dev.steadfast.jdbc.CommitOutcomeUnknownException;
import dev.steadfast.jdbc.DatabaseUnavailableException;
import dev.steadfast.jdbc.OutcomeProbe;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.jdbc.RetryPolicy;
import dev.steadfast.jdbc.UnitOfWork;
import dev.steadfast.jdbc.internal.classify.FailureClassifier;
import dev.steadfast.jdbc.internal.classify.FailureKind;
import dev.steadfast.jdbc.internal.guard.PacketGuard;
import dev.steadfast.jdbc.internal.metrics.ResilienceCounters;
import dev.steadfast.jdbc.internal.metrics.ResilienceCounters.Resolution;
import dev.steadfast.jdbc.internal.pool.TrackedSession;
import dev.steadfast.jdbc.internal.text.FailureText;
import dev.steadfast.jdbc.internal.unit.PooledConnections.Borrowed;
import dev.steadfast.jdbc.retry.Backoff;
import dev.steadfast.jdbc.text.HumanDuration;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs units of work and heals them: on a connection failure the broken connection is evicted, its
 * server session fenced, and the whole unit run again on a fresh connection, within the retry policy.
 * A transaction whose COMMIT was interrupted is replayed only once it is proven rolled back.
 */
public final class UnitRunner {
    private static final Logger LOG = LoggerFactory.getLogger(UnitRunner.class);

    private final PooledConnections connections;
    private final FailureClassifier classifier;
    private final PacketGuard guard;
    private final ResilienceCounters metrics;
    private final RetryPolicy policy;
    private final Clock clock;
    private final Backoff backoff;
    private final boolean commitMarkers;
    private final boolean markerWithStart;

    /**
     * @param markerWithStart whether the statement that starts a transaction also writes its commit marker (a
     *                        MariaDB compound statement): the marker then costs no round trip of its own
     */
    public UnitRunner(
            PooledConnections connections,
            FailureClassifier classifier,
            PacketGuard guard,
            ResilienceCounters metrics,
            RetryPolicy policy,
            Clock clock,
            boolean commitMarkers,
            boolean markerWithStart) {
        this.connections = connections;
        this.classifier = classifier;
        this.guard = guard;
        this.metrics = metrics;
        this.policy = policy;
        this.clock = clock;
        this.commitMarkers = commitMarkers;
        this.markerWithStart = markerWithStart;
        this.backoff = new Backoff(
                policy::backoffCeiling, bound -> ThreadLocalRandom.current().nextLong(bound));
    }

    /** Runs the work in a transaction; see {@link dev.steadfast.jdbc.ResilientDatabase#transaction}. */
    public <T> T transaction(UnitOfWork<T> work, OutcomeProbe probe) throws SQLException {
        return run(work, probe, true);
    }

    /** Runs autocommit work that is safe to repeat; see {@link dev.steadfast.jdbc.ResilientDatabase#read}. */
    public <T> T read(UnitOfWork<T> work) throws SQLException {
        return run(work, null, false);
    }

    /**
     * Interrupts are deferred until the unit ends (the deadline bounds that): our sockets are NIO
     * channels, which close when their thread is interrupted, and giving up halfway could leave a
     * commit's outcome unknown. The thread's interrupt status is restored afterwards.
     */
    private <T> T run(UnitOfWork<T> work, OutcomeProbe probe, boolean transactional) throws SQLException {
        DeferredInterrupts interrupts = new DeferredInterrupts();
        try {
            return heal(work, probe, transactional, interrupts);
        } finally {
            interrupts.restore();
        }
    }

    private <T> T heal(UnitOfWork<T> work, OutcomeProbe probe, boolean transactional, DeferredInterrupts interrupts)
            throws SQLException {
        Deadline deadline = Deadline.after(clock, policy.deadline());
        Instant firstFailure = null;
        SQLException lastFailure = null;
        TrackedSession brokenSession = null;
        for (int attempt = 1; ; attempt++) {
            interrupts.absorb();
            Attempt<T> outcome =
                    transactional ? attemptTransaction(work, probe, brokenSession, deadline) : attemptRead(work);
            if (outcome.succeeded()) {
                metrics.reached();
                if (firstFailure != null) {
                    Duration healed = Duration.between(firstFailure, clock.instant());
                    metrics.healed(healed);
                    LOG.info(
                            "{} healed after {} attempts in {} (last failure: {})",
                            operation(),
                            attempt,
                            HumanDuration.of(healed),
                            FailureText.of(lastFailure));
                }
                return outcome.result();
            }
            lastFailure = outcome.failure();
            brokenSession = outcome.brokenSession();
            if (firstFailure == null) {
                firstFailure = clock.instant();
            }
            if (!outcome.conflict()) {
                metrics.unreachable(clock.instant());
            }
            if (attempt >= policy.maxAttempts() || deadline.passed()) {
                metrics.gaveUp();
                throw new DatabaseUnavailableException(
                        "database unavailable: unit of work gave up after " + attempt
                                + " attempt(s) in "
                                + Duration.between(firstFailure, clock.instant())
                                        .toMillis()
                                + " ms; last failure: " + describe(lastFailure),
                        lastFailure,
                        firstFailure);
            }
            LOG.debug("{}: attempt {} failed ({}), replaying", operation(), attempt, describe(lastFailure));
            if (!(outcome.conflict() ? pauseBriefly() : pause(attempt, deadline))) {
                interrupts.interruptedSleep();
            }
            metrics.replay(transactional);
        }
    }

    private <T> Attempt<T> attemptRead(UnitOfWork<T> work) throws SQLException {
        Borrowed borrowed;
        try {
            borrowed = connections.borrow();
        } catch (SQLException e) {
            return failedToBorrow(e, null);
        }
        try (Borrowed b = borrowed) {
            return Attempt.success(work.run(guard.guard(b.connection())));
        } catch (SQLException e) {
            FailureKind kind = classify(e);
            if (!kind.replayable()) {
                throw e;
            }
            evictIfBroken(borrowed, kind);
            return Attempt.failure(e, kind.connectionBroken() ? borrowed.session() : null);
        }
    }

    private <T> Attempt<T> attemptTransaction(
            UnitOfWork<T> work, OutcomeProbe probe, TrackedSession previous, Deadline deadline) throws SQLException {
        Borrowed borrowed;
        try {
            borrowed = connections.borrow();
        } catch (SQLException e) {
            return failedToBorrow(e, previous);
        }
        Connection connection = borrowed.connection();
        boolean committing = false;
        T result = null;
        byte[] marker = commitMarkers && probe == null ? CommitMarkers.newId() : null;
        try (Borrowed b = borrowed) {
            try {
                fencePrevious(b, previous, deadline);
                // START TRANSACTION ... COMMIT on a connection left in autocommit: one statement fewer than switching
                // autocommit off and back on around the work, and nothing for the pool to reset afterwards
                boolean markerWritten = marker != null && markerWithStart;
                execute(connection, markerWritten ? CommitMarkers.startTransactionWith(marker) : "START TRANSACTION");
                result = work.run(guard.guard(connection));
                if (marker != null && !markerWritten) {
                    CommitMarkers.write(connection, marker);
                }
                committing = true;
                execute(connection, "COMMIT");
                return Attempt.success(result);
            } catch (SQLException e) {
                if (!classifier.classify(e).connectionBroken()) {
                    rollbackOrEvict(connection, e); // before the connection goes back to the pool, which would not
                }
                throw e;
            } catch (RuntimeException | Error e) {
                rollbackOrEvict(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            FailureKind kind = classify(e);
            if (!kind.connectionBroken()) {
                if (kind.replayable()) {
                    return Attempt.conflict(e);
                }
                throw e;
            }
            connections.discard(borrowed, kind);
            if (committing && kind != FailureKind.LOST_BEFORE_SENT) {
                return resolveCommit(result, borrowed.session(), marker, probe, e, deadline);
            }
            return Attempt.failure(e, borrowed.session());
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    private <T> Attempt<T> resolveCommit(
            T result,
            TrackedSession session,
            byte[] marker,
            OutcomeProbe probe,
            SQLException commitFailure,
            Deadline deadline)
            throws SQLException {
        if (marker == null && probe == null) {
            metrics.resolution(Resolution.UNKNOWN);
            metrics.gaveUp();
            throw new CommitOutcomeUnknownException(
                    "connection lost during COMMIT and commit markers are disabled: "
                            + "the transaction may or may not have committed (" + describe(commitFailure) + ")",
                    commitFailure);
        }
        boolean committed;
        try {
            committed = new CommitResolver(connections, classifier, metrics, backoff)
                    .committed(session, marker, probe, deadline);
        } catch (CommitResolver.Unresolved e) {
            metrics.resolution(Resolution.UNKNOWN);
            metrics.gaveUp();
            CommitOutcomeUnknownException unknown = new CommitOutcomeUnknownException(
                    "connection lost during COMMIT and the outcome could not be proven: " + e.getMessage(),
                    commitFailure);
            unknown.addSuppressed(e);
            throw unknown;
        }
        if (committed) {
            metrics.resolution(Resolution.COMMITTED);
            LOG.info(
                    "{}: connection lost during COMMIT; the transaction is proven committed, not replaying",
                    operation());
            return Attempt.success(result);
        }
        metrics.resolution(Resolution.ROLLED_BACK);
        return Attempt.failure(commitFailure, null); // old session already fenced by the resolver
    }

    private void fencePrevious(Borrowed fresh, TrackedSession previous, Deadline deadline) throws SQLException {
        if (previous == null) {
            return;
        }
        try {
            if (SessionFence.fence(fresh.connection(), fresh.session(), previous, deadline)) {
                metrics.fence();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatabaseUnavailableException("interrupted while fencing an old session", e, null);
        }
    }

    private <T> Attempt<T> failedToBorrow(SQLException e, TrackedSession stillToFence) throws SQLException {
        FailureKind kind = classify(e);
        if (!kind.replayable()) {
            throw e; // a wrong password or unknown database will not heal by waiting
        }
        return Attempt.failure(e, stillToFence);
    }

    private FailureKind classify(SQLException e) {
        FailureKind kind = classifier.classify(e);
        metrics.failure(kind);
        return kind;
    }

    private void evictIfBroken(Borrowed borrowed, FailureKind kind) {
        if (kind.connectionBroken()) {
            connections.discard(borrowed, kind);
        }
    }

    /**
     * After a deadlock the server has already rolled the victim back and the connection is fine: go
     * again almost at once, with a little jitter so the same two transactions do not collide again.
     */
    private static boolean pauseBriefly() {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(6));
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** Sleeps before the next attempt; false when the sleep was cut short by an interrupt. */
    private boolean pause(int attempt, Deadline deadline) {
        try {
            backoff.sleep(attempt, deadline.remaining());
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /**
     * Ends the transaction of a failed unit of work. The connection stays in autocommit for the pool, which therefore
     * rolls nothing back on its own: a connection whose ROLLBACK fails could still hold the transaction's locks, so
     * it never goes back to the pool.
     */
    private void rollbackOrEvict(Connection connection, Throwable cause) {
        try {
            execute(connection, "ROLLBACK");
        } catch (SQLException e) {
            cause.addSuppressed(e); // the original error matters
            connections.evict(connection);
        }
    }

    /** The caller's name for the unit of work ({@link dev.steadfast.jdbc.ResilientDatabase#OPERATION}), or a generic one. */
    private static String operation() {
        String name = MDC.get(ResilientDatabase.OPERATION);
        return name == null ? "unit of work" : name;
    }

    private static String describe(SQLException e) {
        if (e == null) {
            return "none";
        }
        return e.getClass().getSimpleName() + " [" + e.getErrorCode() + "/" + e.getSQLState() + "] " + e.getMessage();
    }

    /** The result of one attempt. */
    private record Attempt<T>(
            boolean succeeded, T result, SQLException failure, TrackedSession brokenSession, boolean conflict) {
        static <T> Attempt<T> success(T result) {
            return new Attempt<>(true, result, null, null, false);
        }

        static <T> Attempt<T> failure(SQLException failure, TrackedSession brokenSession) {
            return new Attempt<>(false, null, failure, brokenSession, false);
        }

        /** Rolled back by the server (deadlock, lock wait) on a healthy connection. */
        static <T> Attempt<T> conflict(SQLException failure) {
            return new Attempt<>(false, null, failure, null, true);
        }
    }
}
