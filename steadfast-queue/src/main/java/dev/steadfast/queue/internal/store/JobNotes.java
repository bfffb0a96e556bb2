package dev.steadfast.queue.internal.store;

import dev.steadfast.queue.JobContext;
import dev.steadfast.queue.JobLog;
import dev.steadfast.queue.JobProgress;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What running jobs say while they run: their latest progress ({@code sf_job} columns) and their per-attempt log
 * ({@code sf_job_log}). The worker keeps both in memory and writes what changed for all its jobs at once (the
 * heartbeat, an outcome), one statement each, fenced by the lease token so an attempt that lost its job writes nothing.
 */
public final class JobNotes {
    /** The latest progress of a job held under this lease. */
    public record Progress(long jobId, long leaseToken, double fraction, String message) {}

    /** Lines a job logged since the last write, for its attempt. */
    public record LogLines(long jobId, long leaseToken, int attempt, String text, long bytes) {}

    JobNotes() {}

    /** Writes these jobs' progress in one statement. */
    public void writeProgress(Connection c, Collection<Progress> progress) throws SQLException {
        if (progress.isEmpty()) {
            return;
        }
        List<Object> params = new ArrayList<>(4 * progress.size());
        for (Progress p : progress) {
            params.add(p.jobId());
            params.add(p.leaseToken());
            params.add(p.fraction());
            params.add(Sql.nullAs(p.message(), Types.VARCHAR));
        }
        Sql.update(
                c,
                "UPDATE sf_job j JOIN " + Sql.rows(progress.size(), "p_id", "p_token", "p_fraction", "p_message")
                        + " p ON j.id = p.p_id AND j.lease_token = p.p_token SET j.progress_fraction = p.p_fraction,"
                        + " j.progress_message = p.p_message, j.progress_at = NOW(3)",
                params);
    }

    /** Appends these lines to their attempts' logs in one statement, each log keeping its tail. */
    public void appendLogs(Connection c, Collection<LogLines> logs) throws SQLException {
        if (logs.isEmpty()) {
            return;
        }
        List<Object> params = new ArrayList<>(5 * logs.size());
        for (LogLines l : logs) {
            params.add(l.jobId());
            params.add(l.leaseToken());
            params.add(l.attempt());
            params.add(l.text());
            params.add(l.bytes());
        }
        int kept = JobContext.LOG_KEPT_CHARS;
        Sql.update(
                c,
                "INSERT INTO sf_job_log (job_id, attempt, log, log_bytes) SELECT j.id, r.l_attempt, RIGHT(r.l_text, "
                        + kept + "), r.l_bytes FROM "
                        + Sql.rows(logs.size(), "l_id", "l_token", "l_attempt", "l_text", "l_bytes")
                        + " r JOIN sf_job j ON j.id = r.l_id AND j.lease_token = r.l_token"
                        + " ON DUPLICATE KEY UPDATE log = RIGHT(CONCAT(sf_job_log.log, VALUES(log)), " + kept + "),"
                        + " log_bytes = sf_job_log.log_bytes + VALUES(log_bytes), updated_at = NOW(3)",
                params);
    }

    /** A job's latest progress, if it reported any. */
    public Optional<JobProgress> progress(Connection c, long jobId) throws SQLException {
        return Sql.first(
                c,
                "SELECT progress_fraction, progress_message, progress_at FROM sf_job WHERE id = ?"
                        + " AND progress_at IS NOT NULL",
                rs -> new JobProgress(
                        rs.getDouble("progress_fraction"),
                        rs.getString("progress_message"),
                        Sql.instant(rs.getTimestamp("progress_at"))),
                jobId);
    }

    /** What each attempt of a job logged, first attempt first. */
    public List<JobLog> logs(Connection c, long jobId) throws SQLException {
        return Sql.list(
                c,
                "SELECT attempt, log, log_bytes, updated_at FROM sf_job_log WHERE job_id = ? ORDER BY attempt",
                rs -> new JobLog(
                        rs.getInt("attempt"),
                        rs.getString("log"),
                        rs.getLong("log_bytes"),
                        Sql.instant(rs.getTimestamp("updated_at"))),
                jobId);
    }
}
