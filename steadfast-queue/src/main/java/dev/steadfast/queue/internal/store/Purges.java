package dev.steadfast.queue.internal.store;

import static dev.steadfast.queue.internal.store.States.CANCELLED;
import static dev.steadfast.queue.internal.store.States.FAILED;
import static dev.steadfast.queue.internal.store.States.SUCCEEDED;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/** Maintenance of finished jobs: deletes those past their retention, and failed ones beyond the number kept. */
public final class Purges {
    Purges() {}

    /** Deletes up to {@code limit} jobs that succeeded longer than {@code retention} ago; returns how many it found. */
    public int purgeSucceeded(Connection c, Duration retention, int limit) throws SQLException {
        return purge(c, SUCCEEDED, retention, limit);
    }

    /** As {@link #purgeSucceeded}, for cancelled jobs. */
    public int purgeCancelled(Connection c, Duration retention, int limit) throws SQLException {
        return purge(c, CANCELLED, retention, limit);
    }

    /** As {@link #purgeSucceeded}, for failed jobs, with their failure records. */
    public int purgeFailed(Connection c, Duration retention, int limit) throws SQLException {
        return purge(c, FAILED, retention, limit);
    }

    /** The id of the newest failed job beyond the {@code keep} newest (0: none), from which older ones may go. */
    public long failedBeyond(Connection c, long keep) throws SQLException {
        // an index-only walk of sf_job_state (state, id) past the kept ones: no sort, no row read
        return Sql.first(
                        c,
                        "SELECT id FROM sf_job FORCE INDEX (sf_job_state) WHERE state = " + FAILED
                                + " ORDER BY id DESC LIMIT 1 OFFSET ?",
                        rs -> rs.getLong(1),
                        keep)
                .orElse(0L);
    }

    /** Deletes up to {@code limit} failed jobs with ids up to {@code lastId}, oldest first; returns how many it found. */
    public int purgeFailedUpTo(Connection c, long lastId, int limit) throws SQLException {
        List<Long> ids = Sql.list(
                c,
                "SELECT id FROM sf_job FORCE INDEX (sf_job_state) WHERE state = " + FAILED
                        + " AND id <= ? ORDER BY id LIMIT ?",
                rs -> rs.getLong(1),
                lastId,
                limit);
        return deleteFinished(c, FAILED, ids);
    }

    private int purge(Connection c, String state, Duration retention, int limit) throws SQLException {
        // the ids first, by the run_at index, then a delete by primary key. One DELETE ... ORDER BY run_at LIMIT n
        // let the optimizer take the state index at millions of rows and sort every succeeded job: 5 s per batch of
        // 1,000 at 3M rows, locking what it read. A finished job's run_at is at most its finished_at (a scheduled job
        // cancelled before its time goes once its run time is past the retention too), so the range of sf_job_run_at
        // holds every row to go.
        List<Long> ids = Sql.list(
                c,
                "SELECT id FROM sf_job FORCE INDEX (sf_job_run_at) WHERE state = "
                        + state
                        + " AND run_at < TIMESTAMPADD(MICROSECOND, ?, NOW(3)) AND finished_at < TIMESTAMPADD(MICROSECOND, ?, NOW(3))"
                        + " ORDER BY run_at LIMIT ?",
                rs -> rs.getLong("id"),
                -Sql.micros(retention),
                -Sql.micros(retention),
                limit);
        return deleteFinished(c, state, ids);
    }

    /** Deletes these jobs if still in this state (a failed one with its failed-job log row, in the same statement). */
    private static int deleteFinished(Connection c, String state, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return 0;
        }
        String sql = FAILED.equals(state)
                ? "DELETE j, f FROM sf_job j LEFT JOIN sf_failed_job f ON f.job_id = j.id WHERE j.id IN ("
                        + Sql.placeholders(ids.size()) + ") AND j.state = " + state
                : "DELETE FROM sf_job WHERE id IN (" + Sql.placeholders(ids.size()) + ") AND state = " + state;
        List<Long> workflows = Dependencies.workflowsOf(c, ids);
        Sql.update(c, sql, ids);
        Dependencies.purged(c, ids, workflows);
        // rows found, not rows deleted: another worker purging at the same time may have taken some, and the caller
        // goes on while batches come back full
        return ids.size();
    }
}
