package dev.steadfast.queue.internal.store;

import dev.steadfast.queue.JobState;
import dev.steadfast.queue.RateLimit;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** What operators set for a queue ({@code sf_queue}): paused or not, its rate limit and so its permits. */
public final class QueueSettings {
    private static final String SETTING_COLUMNS = "name, paused, paused_at, rate_limit, rate_period_ms";

    /** What operators set for a queue: paused (since when), its rate limit (or null). */
    public record QueueSetting(String queue, boolean paused, Instant pausedAt, RateLimit rateLimit) {}

    QueueSettings() {}

    /** Pauses or resumes a queue; false when it was so already. */
    public boolean setPaused(Connection tx, String queue, boolean paused) throws SQLException {
        boolean was = lockSetting(tx, queue).map(QueueSetting::paused).orElse(false);
        if (was == paused) {
            return false;
        }
        Sql.update(
                tx,
                "INSERT INTO sf_queue (name, paused, paused_at, updated_at)"
                        + " VALUES (?, ?, IF(?, NOW(3), NULL), NOW(3)) ON DUPLICATE KEY UPDATE paused = VALUES(paused),"
                        + " paused_at = VALUES(paused_at), updated_at = NOW(3)",
                queue,
                paused,
                paused);
        return true;
    }

    /**
     * Sets a queue's rate limit (null: none) and renews its permits; false when it had this limit already. Starts
     * under the previous limit stay counted.
     */
    public boolean setRateLimit(Connection tx, String queue, RateLimit limit) throws SQLException {
        RateLimit was = lockSetting(tx, queue).map(QueueSetting::rateLimit).orElse(null);
        if (Objects.equals(was, limit)) {
            return false;
        }
        Sql.update(
                tx,
                "INSERT INTO sf_queue (name, rate_limit, rate_period_ms, updated_at)"
                        + " VALUES (?, ?, ?, NOW(3)) ON DUPLICATE KEY UPDATE rate_limit = VALUES(rate_limit),"
                        + " rate_period_ms = VALUES(rate_period_ms), updated_at = NOW(3)",
                queue,
                Sql.nullAs(limit == null ? null : limit.jobs(), Types.INTEGER),
                Sql.nullAs(limit == null ? null : limit.per().toMillis(), Types.BIGINT));
        RatePermits.replace(tx, queue, was, limit);
        return true;
    }

    /** A queue's settings row, locked until the transaction ends (so that two changes of it follow each other), if any. */
    private static Optional<QueueSetting> lockSetting(Connection tx, String queue) throws SQLException {
        return Sql.first(
                tx,
                "SELECT " + SETTING_COLUMNS + " FROM sf_queue WHERE name = ? FOR UPDATE",
                QueueSettings::setting,
                queue);
    }

    /** The queues with a rate limit. */
    public Set<String> rateLimitedQueues(Connection c) throws SQLException {
        return new HashSet<>(
                Sql.list(c, "SELECT name FROM sf_queue WHERE rate_limit IS NOT NULL", rs -> rs.getString("name")));
    }

    /** Every queue with settings of its own, by name. */
    public List<QueueSetting> queueSettings(Connection c) throws SQLException {
        return Sql.list(c, "SELECT " + SETTING_COLUMNS + " FROM sf_queue ORDER BY name", QueueSettings::setting);
    }

    /** Whether settings, the census or a job name this queue. */
    public boolean knownQueue(Connection c, String queue) throws SQLException {
        // settings, the census, or a job in any stored state (one seek of the claim index per state)
        StringBuilder sql = new StringBuilder("SELECT EXISTS (SELECT 1 FROM sf_queue WHERE name = ?)"
                + " OR EXISTS (SELECT 1 FROM sf_queue_census WHERE queue = ?)");
        for (JobState state : JobState.values()) {
            sql.append(" OR EXISTS (SELECT 1 FROM sf_job WHERE state = ")
                    .append(States.literal(state))
                    .append(" AND queue = ?)");
        }
        return Sql.first(
                        c,
                        sql + " AS known",
                        rs -> rs.getBoolean("known"),
                        Collections.nCopies(2 + JobState.values().length, queue))
                .orElse(false);
    }

    private static QueueSetting setting(ResultSet rs) throws SQLException {
        return new QueueSetting(
                rs.getString("name"),
                rs.getBoolean("paused"),
                Sql.instant(rs.getTimestamp("paused_at")),
                rateLimit(rs));
    }

    private static RateLimit rateLimit(ResultSet rs) throws SQLException {
        int jobs = rs.getInt("rate_limit");
        if (rs.wasNull()) {
            return null;
        }
        return new RateLimit(jobs, Duration.ofMillis(rs.getLong("rate_period_ms")));
    }
}
