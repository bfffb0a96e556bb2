package dev.steadfast.queue.internal.store;

import static dev.steadfast.queue.internal.store.States.FAILED;

import dev.steadfast.queue.FailedJob;
import dev.steadfast.queue.JobFilter;
import dev.steadfast.queue.JobStatus;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Failed jobs: a row of {@code sf_job} in state 'failed', with the details of its last error in
 * {@code sf_failed_job} (written when a job fails for good, see {@link LeavingRunning}).
 */
public final class FailedJobs {
    private static final String FAILED_FROM = " FROM sf_job j LEFT JOIN sf_failed_job f ON f.job_id = j.id";
    private static final String FAILED_SUMMARY_COLUMNS = "j.id, j.queue, j.type, NULL AS payload, j.attempts,"
            + " COALESCE(f.error_class, 'unknown') AS error_class, LEFT(COALESCE(f.message, j.last_error), 1000) AS message,"
            + " NULL AS stack_trace, f.worker, COALESCE(f.failed_at, j.finished_at, j.updated_at) AS failed_at";
    private static final String FAILED_DETAIL_COLUMNS =
            "j.id, j.queue, j.type, LEFT(j.payload, ?) AS payload, j.attempts,"
                    + " COALESCE(f.error_class, 'unknown') AS error_class, LEFT(COALESCE(f.message, j.last_error), ?) AS message,"
                    + " LEFT(f.stack_trace, ?) AS stack_trace, f.worker, COALESCE(f.failed_at, j.finished_at, j.updated_at) AS failed_at";

    FailedJobs() {}

    /** The newest failed jobs matching the filter with ids below {@code beforeId} (null: the newest), without payloads or stack traces. */
    public List<FailedJob> failures(Connection c, JobFilter filter, Long beforeId, int limit) throws SQLException {
        JobWhere where = JobWhere.of(filter.status(JobStatus.FAILED));
        return Sql.list(
                c,
                "SELECT " + FAILED_SUMMARY_COLUMNS + FAILED_FROM + " WHERE " + where.sql()
                        + (beforeId == null ? "" : " AND j.id < ?") + " ORDER BY j.id DESC LIMIT ?",
                FailedJobs::failedJob,
                where.params(),
                beforeId == null ? List.of() : List.of(beforeId),
                limit);
    }

    /** A failed job with its payload and stack trace (each cut to the given length); empty when the job is not failed. */
    public Optional<FailedJob> failure(Connection c, long jobId, int maxPayload, int maxText) throws SQLException {
        return Sql.first(
                c,
                "SELECT " + FAILED_DETAIL_COLUMNS + FAILED_FROM + " WHERE j.id = ? AND j.state = " + FAILED,
                FailedJobs::failedJob,
                maxPayload,
                maxText,
                maxText,
                jobId);
    }

    /** Records (or records again) why a job failed for good, in the transaction of its exit from running. */
    static void record(Connection tx, long jobId, JobFailure failure, String worker) throws SQLException {
        Sql.update(
                tx,
                "INSERT INTO sf_failed_job (job_id, queue, type, payload, attempts,"
                        + " error_class, message, stack_trace, worker) SELECT id, queue, type, NULL, attempts, ?, ?, ?, ?"
                        + " FROM sf_job WHERE id = ? ON DUPLICATE KEY UPDATE attempts = VALUES(attempts),"
                        + " error_class = VALUES(error_class), message = VALUES(message), stack_trace = VALUES(stack_trace),"
                        + " worker = VALUES(worker), failed_at = NOW(3)",
                failure.errorClass(),
                failure.message(),
                failure.stackTrace(),
                worker,
                jobId);
    }

    private static FailedJob failedJob(ResultSet rs) throws SQLException {
        String payload = rs.getString("payload");
        return new FailedJob(
                rs.getLong("id"),
                rs.getString("queue"),
                rs.getString("type"),
                payload == null || payload.isEmpty() ? null : payload,
                rs.getInt("attempts"),
                rs.getString("error_class"),
                rs.getString("message"),
                rs.getString("stack_trace"),
                rs.getString("worker"),
                rs.getTimestamp("failed_at").toInstant());
    }
}
