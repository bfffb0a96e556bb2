package dev.steadfast.queue.internal.store;

import static dev.steadfast.queue.internal.store.States.RUNNING;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The durable steps of jobs ({@code sf_job_step}): a step's result is recorded once, under the lease of the attempt
 * that ran it, and a later attempt reads it instead of running the step again.
 */
public final class JobSteps {
    JobSteps() {}

    /** The steps this job has recorded, their results (JSON) by name. */
    public Map<String, String> recorded(Connection c, long jobId) throws SQLException {
        Map<String, String> steps = new HashMap<>();
        Sql.each(
                c,
                "SELECT name, result FROM sf_job_step WHERE job_id = ?",
                rs -> steps.put(rs.getString("name"), rs.getString("result")),
                jobId);
        return steps;
    }

    /**
     * Records a step's result, fenced by the lease: false (nothing recorded) when the job is no longer running under
     * this lease, so a worker that lost its lease cannot record a step (a transactional step's effect then rolls back
     * with it).
     */
    public boolean record(Connection tx, ClaimedJob job, String name, String json) throws SQLException {
        return Sql.update(
                        tx,
                        "INSERT INTO sf_job_step (job_id, name, result) SELECT id, ?, ? FROM sf_job"
                                + " WHERE id = ? AND lease_token = ? AND state = " + RUNNING,
                        name,
                        json,
                        job.id(),
                        job.leaseToken())
                == 1;
    }

    /** Whether this step is recorded (the check after its transaction's COMMIT was cut off). */
    public boolean isRecorded(Connection c, long jobId, String name) throws SQLException {
        return Sql.exists(c, "SELECT 1 FROM sf_job_step WHERE job_id = ? AND name = ?", jobId, name);
    }
}
