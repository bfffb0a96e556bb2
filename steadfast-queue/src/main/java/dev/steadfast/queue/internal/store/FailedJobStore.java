package dev.steadfast.queue.internal.store;

import dev.steadfast.queue.FailedJob;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The SQL of the failed-job log: list, show, retry, forget, flush. */
public final class FailedJobStore {
    private static final String COLUMNS = "id, job_id, queue, type, payload, attempts, error_class, message,"
            + " stack_trace, worker, failed_at";
    // what a list or a job page shows: no payload, the head of the message, the stack trace only on the job page
    private static final String SUMMARY_COLUMNS = "id, job_id, queue, type, NULL AS payload, attempts, error_class,"
            + " LEFT(message, 1000) AS message, NULL AS stack_trace, worker, failed_at";
    private static final String DETAIL_COLUMNS = "id, job_id, queue, type, NULL AS payload, attempts, error_class,"
            + " LEFT(message, 65536) AS message, LEFT(stack_trace, 65536) AS stack_trace, worker, failed_at";

    private FailedJobStore() {
    }

    public static List<FailedJob> list(Connection c, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM sf_failed_job ORDER BY id DESC LIMIT ?")) {
            s.setInt(1, limit);
            return read(s);
        }
    }

    /** The newest entries without payloads or stack traces, older than {@code beforeId} when it is not null. */
    public static List<FailedJob> summaries(Connection c, Long beforeId, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + SUMMARY_COLUMNS + " FROM sf_failed_job"
                + (beforeId == null ? "" : " WHERE id < ?") + " ORDER BY id DESC LIMIT ?")) {
            int i = 1;
            if (beforeId != null) {
                s.setLong(i++, beforeId);
            }
            s.setInt(i, limit);
            return read(s);
        }
    }

    /** The failed-log row of a job without its payload, message and stack trace capped at 64 KB. */
    public static Optional<FailedJob> detailByJob(Connection c, long jobId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + DETAIL_COLUMNS + " FROM sf_failed_job WHERE job_id = ?")) {
            s.setLong(1, jobId);
            return read(s).stream().findFirst();
        }
    }

    public static Optional<FailedJob> find(Connection c, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM sf_failed_job WHERE id = ?")) {
            s.setLong(1, id);
            return read(s).stream().findFirst();
        }
    }

    /** The failed-log row of a job, by the job's id. */
    public static Optional<FailedJob> findByJob(Connection c, long jobId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM sf_failed_job WHERE job_id = ?")) {
            s.setLong(1, jobId);
            return read(s).stream().findFirst();
        }
    }

    /** Puts a failed job back in its queue with fresh attempts and removes it from the log. */
    public static boolean retry(Connection tx, long id) throws SQLException {
        try (PreparedStatement s = tx.prepareStatement("UPDATE sf_job j JOIN sf_failed_job f ON f.job_id = j.id"
                + " SET j.state = 'pending', j.attempts = 0, j.run_at = NOW(3), j.lease_owner = NULL, j.lease_token = NULL,"
                + " j.lease_expires_at = NULL, j.finished_at = NULL, j.updated_at = NOW(3)"
                + " WHERE f.id = ? AND j.state = 'failed'")) {
            s.setLong(1, id);
            s.executeUpdate();
        }
        return forget(tx, id);
    }

    /** Retries every failed job; returns how many. */
    public static int retryAll(Connection tx) throws SQLException {
        try (Statement s = tx.createStatement()) {
            s.executeUpdate("UPDATE sf_job j JOIN sf_failed_job f ON f.job_id = j.id"
                    + " SET j.state = 'pending', j.attempts = 0, j.run_at = NOW(3), j.lease_owner = NULL, j.lease_token = NULL,"
                    + " j.lease_expires_at = NULL, j.finished_at = NULL, j.updated_at = NOW(3) WHERE j.state = 'failed'");
            return s.executeUpdate("DELETE FROM sf_failed_job");
        }
    }

    public static boolean forget(Connection c, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM sf_failed_job WHERE id = ?")) {
            s.setLong(1, id);
            return s.executeUpdate() == 1;
        }
    }

    public static int flush(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            return s.executeUpdate("DELETE FROM sf_failed_job");
        }
    }

    private static List<FailedJob> read(PreparedStatement s) throws SQLException {
        List<FailedJob> jobs = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                jobs.add(new FailedJob(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getInt(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                        rs.getTimestamp(11).toInstant()));
            }
        }
        return jobs;
    }
}
