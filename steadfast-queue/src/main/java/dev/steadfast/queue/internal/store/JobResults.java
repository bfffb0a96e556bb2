package dev.steadfast.queue.internal.store;

import static dev.steadfast.queue.internal.store.States.SUCCEEDED;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Jobs' results ({@code sf_job_result}): JSON a handler returned, stored in the transaction of its success and only for
 * the jobs whose success that transaction recorded (fenced by their lease), read by a job's views and by what depends on
 * it.
 */
public final class JobResults {
    /** A result to store with a success: the job and the lease it ran under, its JSON. */
    public record Result(long jobId, long leaseToken, String json) {}

    JobResults() {}

    /**
     * Stores the results of jobs whose success this transaction just recorded, in one statement however many: a job
     * whose row is not {@code succeeded} under that lease (its lease was taken over) gets none. Returns how many were
     * stored; nothing is sent for no results.
     */
    public int store(Connection tx, Collection<Result> results) throws SQLException {
        if (results.isEmpty()) {
            return 0;
        }
        List<Object> params = new ArrayList<>(3 * results.size());
        for (Result r : results) {
            params.add(r.jobId());
            params.add(r.leaseToken());
            params.add(r.json());
        }
        return Sql.update(
                tx,
                "INSERT INTO sf_job_result (job_id, result) SELECT j.id, r.r_json FROM "
                        + Sql.rows(results.size(), "r_id", "r_token", "r_json")
                        + " r JOIN sf_job j ON j.id = r.r_id AND j.lease_token = r.r_token AND j.state = " + SUCCEEDED
                        + " ON DUPLICATE KEY UPDATE result = VALUES(result), recorded_at = NOW(3)",
                params);
    }

    /** The results of these jobs that have one, by job id (for the jobs that depend on them). */
    public Map<Long, String> read(Connection c, Collection<Long> jobIds) throws SQLException {
        Map<Long, String> results = new HashMap<>();
        if (jobIds.isEmpty()) {
            return results;
        }
        Sql.each(
                c,
                "SELECT job_id, result FROM sf_job_result WHERE job_id IN (" + Sql.placeholders(jobIds.size()) + ")",
                rs -> results.put(rs.getLong("job_id"), rs.getString("result")),
                jobIds);
        return results;
    }

    /** One job's result, if it has one. */
    public Optional<String> read(Connection c, long jobId) throws SQLException {
        return Sql.first(c, "SELECT result FROM sf_job_result WHERE job_id = ?", rs -> rs.getString(1), jobId);
    }
}
