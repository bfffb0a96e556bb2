package dev.steadfast.queue.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

/** Jobs finished per minute ({@code sf_job_minute}): succeeded and failed, added up by workers as they finish jobs. */
public final class Throughput {
    Throughput() {}

    /** Adds these counts, per minute since the epoch: [succeeded, failed]. */
    public void addFinished(Connection tx, Map<Long, long[]> perMinute) throws SQLException {
        Sql.batch(
                tx,
                "INSERT INTO sf_job_minute (minute, succeeded, failed) VALUES (?, ?, ?)"
                        + " ON DUPLICATE KEY UPDATE succeeded = succeeded + VALUES(succeeded), failed = failed + VALUES(failed)",
                perMinute.entrySet(),
                (s, e) -> Sql.bind(s, 1, e.getKey(), e.getValue()[0], e.getValue()[1]));
    }

    /** Deletes the counts older than {@code age}; returns how many minutes went. */
    public int forgetFinishedBefore(Connection c, Duration age) throws SQLException {
        return Sql.update(
                c, "DELETE FROM sf_job_minute WHERE minute < FLOOR(UNIX_TIMESTAMP(NOW()) / 60) - ?", age.toMinutes());
    }

    /** Jobs finished per minute over the last {@code minutes} minutes, oldest first: [succeeded, failed] per minute. */
    public long[][] throughput(Connection c, int minutes) throws SQLException {
        long[][] perMinute = new long[minutes][2];
        Sql.each(
                c,
                "SELECT FLOOR(UNIX_TIMESTAMP(NOW()) / 60) - minute AS ago, succeeded, failed"
                        + " FROM sf_job_minute WHERE minute > FLOOR(UNIX_TIMESTAMP(NOW()) / 60) - ?",
                rs -> {
                    int ago = rs.getInt("ago");
                    if (ago >= 0 && ago < minutes) {
                        perMinute[minutes - 1 - ago][0] += rs.getLong("succeeded");
                        perMinute[minutes - 1 - ago][1] += rs.getLong("failed");
                    }
                },
                minutes);
        return perMinute;
    }
}
