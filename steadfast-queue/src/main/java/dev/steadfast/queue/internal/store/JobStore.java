package dev.steadfast.queue.internal.store;

import dev.steadfast.jdbc.ConnectionHealth;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * The SQL of the queue. Every method works on a connection it is given, so that callers decide the
 * transaction (a unit of work, or a caller's own transaction for transactional enqueue). Times are the
 * database's ({@code NOW(3)}), never the worker's, so hosts with skewed clocks agree on leases.
 */
public final class JobStore {

    private JobStore() {
    }

    /** A row to insert. */
    public record NewJob(String queue, String type, String payloadJson, int priority, Duration delay, Instant runAt,
                         int maxAttempts, String uniqueKey) {
    }

    private static final String INSERT = "INSERT INTO sf_job (queue, type, payload, priority, state, max_attempts,"
            + " run_at, unique_key) VALUES (?, ?, ?, ?, 'pending', ?, COALESCE(?, TIMESTAMPADD(MICROSECOND, ?, NOW(3))), ?)"
            + " ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)";

    /** Inserts a job, or returns the id of the live job with the same unique key in the queue. */
    public static long insert(Connection c, NewJob job) throws SQLException {
        return insertAll(c, List.of(job)).get(0);
    }

    /**
     * Inserts jobs as one JDBC batch (drivers pipeline or combine it); each id is the new job's, or the
     * live job's with the same unique key.
     */
    public static List<Long> insertAll(Connection c, List<NewJob> jobs) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(INSERT, Statement.RETURN_GENERATED_KEYS)) {
            for (NewJob job : jobs) {
                s.setString(1, job.queue());
                s.setString(2, job.type());
                s.setString(3, job.payloadJson());
                s.setInt(4, job.priority());
                s.setInt(5, job.maxAttempts());
                if (job.runAt() != null) {
                    s.setTimestamp(6, Timestamp.from(job.runAt()));
                } else {
                    s.setNull(6, Types.TIMESTAMP);
                }
                s.setLong(7, job.delay().toNanos() / 1000);
                if (job.uniqueKey() == null) {
                    s.setNull(8, Types.VARCHAR);
                } else {
                    s.setString(8, job.uniqueKey());
                }
                if (jobs.size() == 1) {
                    s.executeUpdate();
                } else {
                    s.addBatch();
                }
            }
            if (jobs.size() > 1) {
                s.executeBatch();
            }
            List<Long> ids = new ArrayList<>(jobs.size());
            try (ResultSet keys = s.getGeneratedKeys()) {
                while (keys.next()) {
                    ids.add(keys.getLong(1));
                }
            }
            if (ids.size() != jobs.size()) {
                throw new SQLException("expected " + jobs.size() + " job ids from the insert, got " + ids.size());
            }
            return ids;
        }
    }

    /**
     * Claims up to {@code limit} due jobs of the given queues, highest priority first, skipping rows
     * other workers have locked, and leases them to {@code owner} under {@code token}.
     */
    public static List<ClaimedJob> claim(Connection tx, Collection<String> queues, int limit, String owner, long token,
                                         Duration lease) throws SQLException {
        String placeholders = String.join(",", Collections.nCopies(queues.size(), "?"));
        List<ClaimedJob> jobs = new ArrayList<>(limit);
        try (PreparedStatement s = tx.prepareStatement("SELECT id, queue, type, payload, attempts, max_attempts FROM sf_job"
                + " WHERE state = 'pending' AND queue IN (" + placeholders + ") AND run_at <= NOW(3)"
                + " ORDER BY priority DESC, run_at, id LIMIT ? FOR UPDATE SKIP LOCKED")) {
            int i = 1;
            for (String queue : queues) {
                s.setString(i++, queue);
            }
            s.setInt(i, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    jobs.add(new ClaimedJob(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getInt(5) + 1, rs.getInt(6), token));
                }
            }
        }
        if (jobs.isEmpty()) {
            return jobs;
        }
        String ids = String.join(",", Collections.nCopies(jobs.size(), "?"));
        try (PreparedStatement s = tx.prepareStatement("UPDATE sf_job SET state = 'running', attempts = attempts + 1,"
                + " lease_owner = ?, lease_token = ?, lease_expires_at = TIMESTAMPADD(MICROSECOND, ?, NOW(3)),"
                + " updated_at = NOW(3) WHERE id IN (" + ids + ")")) {
            s.setString(1, owner);
            s.setLong(2, token);
            s.setLong(3, lease.toNanos() / 1000);
            int i = 4;
            for (ClaimedJob job : jobs) {
                s.setLong(i++, job.id());
            }
            s.executeUpdate();
        }
        return jobs;
    }

    /** Whether a claim with this token committed (its rows carry the token). */
    public static boolean claimCommitted(Connection c, long token) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM sf_job WHERE lease_token = ? LIMIT 1")) {
            s.setLong(1, token);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Marks a job succeeded; false when the lease is no longer ours. */
    public static boolean succeed(Connection c, ClaimedJob job) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE sf_job SET state = 'succeeded', finished_at = NOW(3),"
                + " updated_at = NOW(3), lease_expires_at = NULL WHERE id = ? AND lease_token = ? AND state = 'running'")) {
            s.setLong(1, job.id());
            s.setLong(2, job.leaseToken());
            return s.executeUpdate() == 1;
        }
    }

    /** Marks several jobs succeeded in one statement; returns how many were still ours. */
    public static int succeedAll(Connection c, List<ClaimedJob> jobs) throws SQLException {
        String pairs = String.join(",", Collections.nCopies(jobs.size(), "(?, ?)"));
        try (PreparedStatement s = c.prepareStatement("UPDATE sf_job SET state = 'succeeded', finished_at = NOW(3),"
                + " updated_at = NOW(3), lease_expires_at = NULL WHERE state = 'running' AND (id, lease_token) IN (" + pairs + ")")) {
            int i = 1;
            for (ClaimedJob job : jobs) {
                s.setLong(i++, job.id());
                s.setLong(i++, job.leaseToken());
            }
            return s.executeUpdate();
        }
    }

    /** Puts a failed job back for another attempt after the delay; false when the lease is no longer ours. */
    public static boolean retry(Connection c, ClaimedJob job, Duration delay, JobFailure failure) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE sf_job SET state = 'pending',"
                + " run_at = TIMESTAMPADD(MICROSECOND, ?, NOW(3)), last_error = ?, lease_owner = NULL,"
                + " lease_expires_at = NULL, updated_at = NOW(3) WHERE id = ? AND lease_token = ? AND state = 'running'")) {
            s.setLong(1, delay.toNanos() / 1000);
            s.setString(2, failure.summary());
            s.setLong(3, job.id());
            s.setLong(4, job.leaseToken());
            return s.executeUpdate() == 1;
        }
    }

    /** Moves a job to the failed-job log; false when the lease is no longer ours. */
    public static boolean fail(Connection tx, ClaimedJob job, JobFailure failure, String worker) throws SQLException {
        try (PreparedStatement s = tx.prepareStatement("UPDATE sf_job SET state = 'failed', finished_at = NOW(3),"
                + " last_error = ?, lease_expires_at = NULL, updated_at = NOW(3)"
                + " WHERE id = ? AND lease_token = ? AND state = 'running'")) {
            s.setString(1, failure.summary());
            s.setLong(2, job.id());
            s.setLong(3, job.leaseToken());
            if (s.executeUpdate() != 1) {
                return false;
            }
        }
        recordFailure(tx, job.id(), failure, worker);
        return true;
    }

    private static void recordFailure(Connection tx, long jobId, JobFailure failure, String worker) throws SQLException {
        try (PreparedStatement s = tx.prepareStatement("INSERT INTO sf_failed_job (job_id, queue, type, payload, attempts,"
                + " error_class, message, stack_trace, worker) SELECT id, queue, type, payload, attempts, ?, ?, ?, ?"
                + " FROM sf_job WHERE id = ? ON DUPLICATE KEY UPDATE attempts = VALUES(attempts),"
                + " error_class = VALUES(error_class), message = VALUES(message), stack_trace = VALUES(stack_trace),"
                + " worker = VALUES(worker), failed_at = NOW(3)")) {
            s.setString(1, failure.errorClass());
            s.setString(2, failure.message());
            s.setString(3, failure.stackTrace());
            s.setString(4, worker);
            s.setLong(5, jobId);
            s.executeUpdate();
        }
    }

    /** Whether the outcome written under this lease committed: the job left 'running' with our token. */
    public static boolean outcomeCommitted(Connection c, ClaimedJob job) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT 1 FROM sf_job WHERE id = ? AND lease_token = ? AND state <> 'running'")) {
            s.setLong(1, job.id());
            s.setLong(2, job.leaseToken());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Gives unfinished jobs back at shutdown; the interrupted attempt does not count. */
    public static int release(Connection c, Collection<ClaimedJob> jobs) throws SQLException {
        int released = 0;
        try (PreparedStatement s = c.prepareStatement("UPDATE sf_job SET state = 'pending', attempts = GREATEST(attempts - 1, 0),"
                + " lease_owner = NULL, lease_expires_at = NULL, updated_at = NOW(3)"
                + " WHERE id = ? AND lease_token = ? AND state = 'running'")) {
            for (ClaimedJob job : jobs) {
                s.setLong(1, job.id());
                s.setLong(2, job.leaseToken());
                released += s.executeUpdate();
            }
        }
        return released;
    }

    /** Extends the leases of running jobs; returns how many are still ours. */
    public static int extendLeases(Connection c, Collection<ClaimedJob> jobs, Duration lease) throws SQLException {
        int extended = 0;
        try (PreparedStatement s = c.prepareStatement("UPDATE sf_job SET lease_expires_at = TIMESTAMPADD(MICROSECOND, ?, NOW(3))"
                + " WHERE id = ? AND lease_token = ? AND state = 'running'")) {
            for (ClaimedJob job : jobs) {
                s.setLong(1, lease.toNanos() / 1000);
                s.setLong(2, job.id());
                s.setLong(3, job.leaseToken());
                extended += s.executeUpdate();
            }
        }
        return extended;
    }

    /**
     * Returns jobs whose lease expired (their worker died) to the queue, or to the failed-job log when
     * that was their last attempt. Returns how many were reclaimed.
     */
    public static int reapExpiredLeases(Connection tx, int limit) throws SQLException {
        List<long[]> expired = new ArrayList<>();
        try (PreparedStatement s = tx.prepareStatement("SELECT id, attempts, max_attempts FROM sf_job"
                + " WHERE state = 'running' AND lease_expires_at < NOW(3) LIMIT ? FOR UPDATE SKIP LOCKED")) {
            s.setInt(1, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    expired.add(new long[] {rs.getLong(1), rs.getInt(2), rs.getInt(3)});
                }
            }
        }
        JobFailure lost = JobFailure.of("dev.steadfast.queue.LeaseExpiredException",
                "the worker running the last attempt stopped renewing its lease (crashed or cut off)");
        for (long[] job : expired) {
            boolean exhausted = job[1] >= job[2];
            try (PreparedStatement s = tx.prepareStatement(exhausted
                    ? "UPDATE sf_job SET state = 'failed', finished_at = NOW(3), last_error = ?, lease_token = NULL,"
                    + " lease_owner = NULL, lease_expires_at = NULL, updated_at = NOW(3) WHERE id = ?"
                    : "UPDATE sf_job SET state = 'pending', last_error = ?, lease_token = NULL, lease_owner = NULL,"
                    + " lease_expires_at = NULL, updated_at = NOW(3) WHERE id = ?")) {
                s.setString(1, lost.summary());
                s.setLong(2, job[0]);
                s.executeUpdate();
            }
            if (exhausted) {
                recordFailure(tx, job[0], lost, null);
            }
        }
        return expired.size();
    }

    /** Deletes up to {@code limit} succeeded jobs finished longer ago than the retention. */
    public static int purgeSucceeded(Connection c, Duration retention, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM sf_job WHERE state = 'succeeded'"
                + " AND finished_at < TIMESTAMPADD(MICROSECOND, ?, NOW(3)) LIMIT " + limit)) {
            s.setLong(1, -retention.toNanos() / 1000);
            return s.executeUpdate();
        }
    }

    /** Records a worker's heartbeat. */
    public static void heartbeat(Connection c, String workerId, String host, String queues, int running)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO sf_worker (id, host, queues, started_at, last_heartbeat,"
                + " running_jobs) VALUES (?, ?, ?, NOW(3), NOW(3), ?) ON DUPLICATE KEY UPDATE last_heartbeat = NOW(3),"
                + " running_jobs = VALUES(running_jobs)")) {
            s.setString(1, workerId);
            s.setString(2, host);
            s.setString(3, queues);
            s.setInt(4, running);
            s.executeUpdate();
        }
    }

    /** A worker that stopped cleanly leaves the worker list at once; a crashed one ages out with its heartbeat. */
    public static void removeWorker(Connection c, String workerId) throws SQLException {
        for (String sql : new String[] {"DELETE FROM sf_worker WHERE id = ?", "DELETE FROM sf_worker_health WHERE worker_id = ?"}) {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, workerId);
                s.executeUpdate();
            }
        }
    }

    /** Records what the worker's connections lived through, next to its heartbeat. */
    public static void reportHealth(Connection c, String workerId, ConnectionHealth health) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO sf_worker_health (worker_id, losses, heals, evictions,"
                + " gave_up, last_heal, updated_at) VALUES (?, ?, ?, ?, ?, ?, NOW(3)) ON DUPLICATE KEY UPDATE"
                + " losses = VALUES(losses), heals = VALUES(heals), evictions = VALUES(evictions),"
                + " gave_up = VALUES(gave_up), last_heal = VALUES(last_heal), updated_at = NOW(3)")) {
            s.setString(1, workerId);
            s.setLong(2, health.losses());
            s.setLong(3, health.heals());
            s.setLong(4, health.evictions());
            s.setLong(5, health.gaveUp());
            s.setTimestamp(6, health.lastHeal() == null ? null : java.sql.Timestamp.from(health.lastHeal()));
            s.executeUpdate();
        }
    }
}
