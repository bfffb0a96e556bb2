package dev.steadfast.queue.internal.store;

import static dev.steadfast.queue.internal.store.States.FAILED;
import static dev.steadfast.queue.internal.store.States.PENDING;
import static dev.steadfast.queue.internal.store.States.RUNNING;
import static dev.steadfast.queue.internal.store.States.SUCCEEDED;

import dev.steadfast.queue.JobState;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * The one way out of {@code running}: succeeded, retried, failed, cancelled, released at shutdown, or its lease
 * expired (requeued or failed). Each exit is one update of the job's row, fenced by the lease (its token and the
 * running state; an expired lease's row is locked by {@link Leases#lockExpiredLeases} instead) and appending the
 * attempt to its history ({@link AttemptLog}); then, only when that row changed, {@link #left} does every side
 * effect of leaving, in the same transaction.
 */
public final class LeavingRunning {
    // the lease fence of a worker's own exits: a worker whose lease was taken over changes nothing
    private static final String FENCE = " WHERE id = ? AND lease_token = ? AND state = " + RUNNING;

    /**
     * A job that left running: what its side effects need. {@code to} is where it went ({@code PENDING} for a retry or
     * a release); {@code failure} is set when it failed for good.
     */
    private record Departure(long jobId, JobState to, String concurrencyKey, JobFailure failure, String worker) {
        static Departure of(ClaimedJob job, JobState to) {
            return new Departure(job.id(), to, job.concurrencyKey(), null, null);
        }
    }

    LeavingRunning() {}

    /** Ends a job this worker holds as succeeded; false when the lease is no longer ours. */
    public boolean markSucceeded(Connection c, ClaimedJob job) throws SQLException {
        return finish(c, job, "succeeded", JobState.SUCCEEDED);
    }

    /** Ends a job this worker holds as cancelled (its cancellation was requested); false when the lease is no longer ours. */
    public boolean markCancelled(Connection c, ClaimedJob job) throws SQLException {
        return finish(c, job, "cancelled", JobState.CANCELLED);
    }

    /** Ends a running job this worker holds in a final state without an error. */
    private static boolean finish(Connection c, ClaimedJob job, String outcome, JobState state) throws SQLException {
        return leave(
                c,
                Departure.of(job, state),
                "UPDATE sf_job SET " + AttemptLog.append(outcome, false) + ", state = " + States.literal(state)
                        + ", finished_at = NOW(3), updated_at = NOW(3), lease_expires_at = NULL" + FENCE,
                job.id(),
                job.leaseToken());
    }

    /**
     * Ends these jobs as succeeded; returns how many were still ours. Jobs without a concurrency key go in one UPDATE
     * (nothing of theirs but the row is to change); a keyed job gives its slot back only if its own row changed, so
     * those go one by one.
     */
    public int markAllSucceeded(Connection c, List<ClaimedJob> all) throws SQLException {
        int marked = 0;
        List<ClaimedJob> jobs = new ArrayList<>(all.size());
        for (ClaimedJob job : all) {
            if (job.concurrencyKey() == null) {
                jobs.add(job);
            } else if (markSucceeded(c, job)) {
                marked++;
            }
        }
        if (jobs.isEmpty()) {
            return marked;
        }
        String pairs = String.join(",", Collections.nCopies(jobs.size(), "(?, ?)"));
        List<Long> params = new ArrayList<>(2 * jobs.size());
        for (ClaimedJob job : jobs) {
            params.add(job.id());
            params.add(job.leaseToken());
        }
        int changed = Sql.update(
                c,
                "UPDATE sf_job SET " + AttemptLog.append("succeeded", false) + ", state = " + SUCCEEDED
                        + ", finished_at = NOW(3), updated_at = NOW(3), lease_expires_at = NULL WHERE state = "
                        + RUNNING
                        + " AND (id, lease_token) IN (" + pairs + ")",
                params);
        if (changed > 0) {
            // which of the rows this UPDATE changed complete something (a batch's count, a dependent): one read of the
            // rows it holds locked, so it sees their latest dependents, then their effects in this transaction. A row
            // of ours in state succeeded was changed by this UPDATE: an earlier commit of these outcomes would have
            // been found by the unit of work's check and not written again.
            Completions.finished(
                    c,
                    Sql.list(
                            c,
                            "SELECT id, batch_id, dependents FROM sf_job WHERE state = " + SUCCEEDED
                                    + " AND (id, lease_token) IN (" + pairs
                                    + ") AND (batch_id IS NOT NULL OR dependents > 0)",
                            rs -> new Finished(
                                    rs.getLong("id"),
                                    JobState.SUCCEEDED,
                                    rs.getObject("batch_id", Long.class),
                                    rs.getInt("dependents")),
                            params.toArray()));
        }
        return marked + changed;
    }

    /** Puts a job this worker holds back to pending, to run again after {@code delay}; false when the lease is no longer ours. */
    public boolean scheduleRetry(Connection c, ClaimedJob job, Duration delay, JobFailure failure) throws SQLException {
        return leave(
                c,
                Departure.of(job, JobState.PENDING),
                "UPDATE sf_job SET " + AttemptLog.append("retried", true) + ", state = " + PENDING
                        + ", run_at = TIMESTAMPADD(MICROSECOND, ?, NOW(3)), last_error = ?, lease_owner = NULL,"
                        + " lease_expires_at = NULL, updated_at = NOW(3)" + FENCE,
                failure.summary(),
                Sql.micros(delay),
                failure.summary(),
                job.id(),
                job.leaseToken());
    }

    /**
     * Puts a job this worker holds back to pending, to run again after {@code delay} without counting the attempt (its
     * handler snoozed); false when the lease is no longer ours.
     */
    public boolean snooze(Connection c, ClaimedJob job, Duration delay) throws SQLException {
        return leave(
                c,
                Departure.of(job, JobState.PENDING),
                "UPDATE sf_job SET " + AttemptLog.append("snoozed", false) + ", state = " + PENDING
                        + ", attempts = GREATEST(attempts - 1, 0), run_at = TIMESTAMPADD(MICROSECOND, ?, NOW(3)),"
                        + " lease_owner = NULL, lease_expires_at = NULL, updated_at = NOW(3)" + FENCE,
                Sql.micros(delay),
                job.id(),
                job.leaseToken());
    }

    /** Fails a job for good and records it in the failed-job log; false when the lease is no longer ours. */
    public boolean markFailed(Connection tx, ClaimedJob job, JobFailure failure, String worker) throws SQLException {
        return leave(
                tx,
                new Departure(job.id(), JobState.FAILED, job.concurrencyKey(), failure, worker),
                "UPDATE sf_job SET "
                        + AttemptLog.append("failed", true) + ", state = " + FAILED
                        + ", finished_at = NOW(3), last_error = ?, lease_expires_at = NULL, updated_at = NOW(3)"
                        + FENCE,
                failure.summary(),
                failure.summary(),
                job.id(),
                job.leaseToken());
    }

    /** Puts jobs this worker holds back to pending, the attempt not counted (a worker shutting down); returns how many. */
    public int release(Connection c, Collection<ClaimedJob> jobs) throws SQLException {
        int released = 0;
        for (ClaimedJob job : jobs) {
            if (leave(
                    c,
                    Departure.of(job, JobState.PENDING),
                    "UPDATE sf_job SET state = " + PENDING + ", attempts = GREATEST(attempts - 1, 0),"
                            + " lease_owner = NULL, lease_expires_at = NULL, updated_at = NOW(3)" + FENCE,
                    job.id(),
                    job.leaseToken())) {
                released++;
            }
        }
        return released;
    }

    /** Puts a job whose lease expired back to pending, its attempt counted (row locked by {@link Leases#lockExpiredLeases}). */
    public void requeueExpired(Connection tx, Leases.ExpiredLease lease, JobFailure reason) throws SQLException {
        leave(
                tx,
                new Departure(lease.jobId(), JobState.PENDING, lease.concurrencyKey(), null, null),
                "UPDATE sf_job SET "
                        + AttemptLog.append("lease expired", true) + ", state = " + PENDING
                        + ", last_error = ?, lease_token = NULL,"
                        + " lease_owner = NULL, lease_expires_at = NULL, updated_at = NOW(3) WHERE id = ?",
                reason.summary(),
                reason.summary(),
                lease.jobId());
    }

    /** Fails a job whose lease expired for good and records it in the failed-job log (row locked as for a requeue). */
    public void failExpired(Connection tx, Leases.ExpiredLease lease, JobFailure reason) throws SQLException {
        leave(
                tx,
                new Departure(lease.jobId(), JobState.FAILED, lease.concurrencyKey(), reason, null),
                "UPDATE sf_job SET "
                        + AttemptLog.append("lease expired", true) + ", state = " + FAILED
                        + ", finished_at = NOW(3), last_error = ?,"
                        + " lease_token = NULL, lease_owner = NULL, lease_expires_at = NULL, updated_at = NOW(3) WHERE id = ?",
                reason.summary(),
                reason.summary(),
                lease.jobId());
    }

    /** Whether this job's outcome committed: it left running under this lease (the check after a commit was cut off). */
    public boolean outcomeCommitted(Connection c, ClaimedJob job) throws SQLException {
        return Sql.exists(
                c,
                "SELECT 1 FROM sf_job WHERE id = ? AND lease_token = ? AND state <> " + RUNNING,
                job.id(),
                job.leaseToken());
    }

    /** The exit's fenced update of the job's row; when it changed the row, the side effects of leaving. */
    private static boolean leave(Connection tx, Departure departure, String update, Object... params)
            throws SQLException {
        if (Sql.update(tx, update, params) != 1) {
            return false; // the lease is no longer ours: someone else's exit did (or will do) the side effects
        }
        left(tx, departure);
        return true;
    }

    /**
     * Every side effect of a job leaving running, in the transaction of its exit: the concurrency slot of its key
     * comes back, a job failed for good is recorded in the failed-job log, and what a finished job completes (its
     * batch's count and callbacks, the jobs waiting for it) is done by {@link Completions}, so that no exit forgets it.
     */
    private static void left(Connection tx, Departure departure) throws SQLException {
        ConcurrencySlots.free(tx, departure.concurrencyKey());
        if (departure.failure() != null) {
            FailedJobs.record(tx, departure.jobId(), departure.failure(), departure.worker());
        }
        if (departure.to() != JobState.PENDING) {
            Completions.finished(tx, Completions.read(tx, departure.jobId(), departure.to()));
        }
    }
}
