package dev.steadfast.queue.internal.store;

import dev.steadfast.queue.JobOutput;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/** What the attempts of jobs that run commands printed ({@code sf_job_output}), one row per attempt. */
public final class JobOutputs {
    JobOutputs() {}

    /** Records (or, replayed, records again) what one attempt of a job printed; false when the job is gone. */
    public boolean recordOutput(Connection tx, long jobId, JobOutput output) throws SQLException {
        // the job's row must exist (the foreign key says so too); a replayed record writes the same row again
        return Sql.update(
                        tx,
                        "INSERT INTO sf_job_output (job_id, attempt, exit_status, stdout, stderr,"
                                + " stdout_bytes, stderr_bytes) SELECT id, ?, ?, ?, ?, ?, ? FROM sf_job WHERE id = ?"
                                + " ON DUPLICATE KEY UPDATE exit_status = VALUES(exit_status), stdout = VALUES(stdout), stderr = VALUES(stderr),"
                                + " stdout_bytes = VALUES(stdout_bytes), stderr_bytes = VALUES(stderr_bytes), recorded_at = NOW(3)",
                        output.attempt(),
                        Sql.nullAs(output.exitStatus(), Types.INTEGER),
                        output.stdout(),
                        output.stderr(),
                        output.stdoutBytes(),
                        output.stderrBytes(),
                        jobId)
                > 0;
    }

    /** What each attempt of a job printed, first attempt first. */
    public List<JobOutput> outputs(Connection c, long jobId) throws SQLException {
        return Sql.list(
                c,
                "SELECT attempt, exit_status, stdout, stderr, stdout_bytes, stderr_bytes,"
                        + " recorded_at FROM sf_job_output WHERE job_id = ? ORDER BY attempt",
                rs -> {
                    int status = rs.getInt("exit_status");
                    Integer exitStatus = rs.wasNull() ? null : status;
                    return new JobOutput(
                            rs.getInt("attempt"),
                            exitStatus,
                            rs.getString("stdout"),
                            rs.getString("stderr"),
                            rs.getLong("stdout_bytes"),
                            rs.getLong("stderr_bytes"),
                            rs.getTimestamp("recorded_at").toInstant());
                },
                jobId);
    }
}
