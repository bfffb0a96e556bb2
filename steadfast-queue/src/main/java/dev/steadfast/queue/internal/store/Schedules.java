package dev.steadfast.queue.internal.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Schedules ({@code sf_schedule}): their cadence, the job each makes, and where each stands. */
public final class Schedules {
    private static final String SCHEDULE_COLUMNS =
            "name, cron, zone, every_ms, type, payload, queue, priority, max_attempts,"
                    + " timeout_ms, missed, paused, next_run_at, last_run_at, last_job_id";

    /** A schedule row: its cadence, the job it makes, and where it stands. */
    public record StoredSchedule(
            String name,
            String cron,
            String zone,
            Long everyMs,
            NewJob job,
            String missed,
            boolean paused,
            Instant nextRunAt,
            Instant lastRunAt,
            Long lastJobId) {}

    Schedules() {}

    /** The database's clock now. */
    public Instant now(Connection c) throws SQLException {
        return Sql.one(c, "SELECT NOW(3) AS now", rs -> rs.getTimestamp("now").toInstant());
    }

    /**
     * Adds a schedule, or updates the one of that name; its next tick becomes {@code firstRun} unless its cadence
     * stays the same.
     */
    public void saveSchedule(Connection tx, StoredSchedule schedule, Instant firstRun) throws SQLException {
        NewJob job = schedule.job();
        // assignments run left to right: next_run_at compares the cadence before it is overwritten
        Sql.update(
                tx,
                "INSERT INTO sf_schedule (" + SCHEDULE_COLUMNS + ", updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, NULL, NULL, NOW(3)) ON DUPLICATE KEY UPDATE"
                        + " next_run_at = IF(cron <=> VALUES(cron) AND zone <=> VALUES(zone) AND every_ms <=> VALUES(every_ms),"
                        + " next_run_at, VALUES(next_run_at)), cron = VALUES(cron), zone = VALUES(zone), every_ms = VALUES(every_ms),"
                        + " type = VALUES(type), payload = VALUES(payload), queue = VALUES(queue), priority = VALUES(priority),"
                        + " max_attempts = VALUES(max_attempts), timeout_ms = VALUES(timeout_ms), missed = VALUES(missed),"
                        + " updated_at = NOW(3)",
                schedule.name(),
                schedule.cron(),
                schedule.zone(),
                Sql.nullAs(schedule.everyMs(), Types.BIGINT),
                job.type(),
                job.payloadJson(),
                job.queue(),
                job.priority(),
                job.maxAttempts(),
                Sql.nullAs(job.timeout() == null ? null : job.timeout().toMillis(), Types.BIGINT),
                schedule.missed(),
                firstRun);
    }

    /** Removes a schedule; false when there is none by that name. */
    public boolean removeSchedule(Connection tx, String name) throws SQLException {
        return Sql.update(tx, "DELETE FROM sf_schedule WHERE name = ?", name) == 1;
    }

    /** Every schedule, by name. */
    public List<StoredSchedule> schedules(Connection c) throws SQLException {
        return Sql.list(c, "SELECT " + SCHEDULE_COLUMNS + " FROM sf_schedule ORDER BY name", Schedules::storedSchedule);
    }

    /** Up to {@code limit} due schedules, locked (skipping those another ticker holds), the most overdue first. */
    public List<StoredSchedule> lockDueSchedules(Connection tx, int limit) throws SQLException {
        return Sql.list(
                tx,
                "SELECT " + SCHEDULE_COLUMNS + " FROM sf_schedule"
                        + " WHERE next_run_at <= NOW(3) AND paused = 0 ORDER BY next_run_at LIMIT ? FOR UPDATE SKIP LOCKED",
                Schedules::storedSchedule,
                limit);
    }

    /** Moves a schedule to its next tick, with what its last tick enqueued (nulls leave those as they are). */
    public void advanceSchedule(Connection tx, String name, Instant next, Instant lastRun, Long lastJobId)
            throws SQLException {
        Sql.update(
                tx,
                "UPDATE sf_schedule SET next_run_at = ?,"
                        + " last_run_at = COALESCE(?, last_run_at), last_job_id = COALESCE(?, last_job_id) WHERE name = ?",
                next,
                Sql.nullAs(lastRun, Types.TIMESTAMP),
                Sql.nullAs(lastJobId, Types.BIGINT),
                name);
    }

    /** Pauses or resumes a schedule (resumed: from {@code next}); false when it was so already or does not exist. */
    public boolean pauseSchedule(Connection tx, String name, boolean paused, Instant next) throws SQLException {
        return Sql.update(
                        tx,
                        "UPDATE sf_schedule SET paused = ?, next_run_at = COALESCE(?, next_run_at),"
                                + " updated_at = NOW(3) WHERE name = ? AND paused <> ?",
                        paused,
                        Sql.nullAs(next, Types.TIMESTAMP),
                        name,
                        paused)
                == 1;
    }

    /** Whether the schedule's next tick is still {@code next} (no other ticker moved it). */
    public boolean scheduleAt(Connection c, String name, Instant next) throws SQLException {
        return Sql.exists(c, "SELECT 1 FROM sf_schedule WHERE name = ? AND next_run_at = ?", name, next);
    }

    /** Milliseconds until the next tick of any schedule not paused (negative: overdue); null without one. */
    public Long untilNextTick(Connection c) throws SQLException {
        return Sql.one(
                c,
                "SELECT TIMESTAMPDIFF(MICROSECOND, NOW(3), MIN(next_run_at)) DIV 1000 AS ms FROM sf_schedule"
                        + " WHERE paused = 0",
                rs -> Sql.nullableLong(rs, "ms"));
    }

    private static StoredSchedule storedSchedule(ResultSet rs) throws SQLException {
        Long timeoutMs = Sql.nullableLong(rs, "timeout_ms");
        NewJob job = new NewJob(
                rs.getString("queue"),
                rs.getString("type"),
                rs.getString("payload"),
                rs.getInt("priority"),
                Duration.ZERO,
                null,
                rs.getInt("max_attempts"),
                null,
                timeoutMs == null ? null : Duration.ofMillis(timeoutMs));
        return new StoredSchedule(
                rs.getString("name"),
                rs.getString("cron"),
                rs.getString("zone"),
                Sql.nullableLong(rs, "every_ms"),
                job,
                rs.getString("missed"),
                rs.getBoolean("paused"),
                Sql.instant(rs.getTimestamp("next_run_at")),
                Sql.instant(rs.getTimestamp("last_run_at")),
                Sql.nullableLong(rs, "last_job_id"));
    }
}
