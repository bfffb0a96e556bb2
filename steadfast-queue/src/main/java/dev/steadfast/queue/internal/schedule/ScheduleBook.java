package dev.steadfast.queue.internal.schedule;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.MissedTicks;
import dev.steadfast.queue.Schedule;
import dev.steadfast.queue.ScheduleView;
import dev.steadfast.queue.internal.enqueue.JobRows;
import dev.steadfast.queue.internal.store.Schedules;
import dev.steadfast.queue.internal.store.Store;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The schedules the queue's API adds, lists, pauses, resumes and removes: each change one transaction on
 * {@code sf_schedule} ({@link Schedules}), each schedule answered as a {@link ScheduleView}.
 */
public final class ScheduleBook {
    private final ResilientDatabase db;
    private final Store store;
    private final JobRows rows;

    public ScheduleBook(ResilientDatabase db, Store store, JobRows rows) {
        this.db = db;
        this.store = store;
        this.rows = rows;
    }

    /** Adds the schedule, or updates the one of that name; its first tick is the cadence's next after now. */
    public ScheduleView save(Schedule schedule) throws SQLException {
        Schedules.StoredSchedule row = new Schedules.StoredSchedule(
                schedule.name(),
                schedule.cron(),
                schedule.cron() == null ? null : schedule.zone().getId(),
                schedule.every() == null ? null : schedule.every().toMillis(),
                rows.template(schedule.job()),
                schedule.missed().word(),
                false,
                null,
                null,
                null);
        db.transaction(tx -> {
            Instant now = store.schedules().now(tx);
            Instant first = (schedule.cron() != null
                            ? Cadence.cron(schedule.cron(), schedule.zone())
                            : Cadence.every(schedule.every()))
                    .next(now)
                    .orElseThrow(() ->
                            new IllegalArgumentException("schedule " + schedule.name() + " never ticks after " + now));
            store.schedules().saveSchedule(tx, row, first);
            return null;
        });
        return all().stream()
                .filter(s -> s.name().equals(schedule.name()))
                .findFirst()
                .orElseThrow();
    }

    /** Every schedule, by name. */
    public List<ScheduleView> all() throws SQLException {
        return db.read(store.schedules()::schedules).stream()
                .map(s -> new ScheduleView(
                        s.name(),
                        s.cron(),
                        s.cron() != null ? null : Duration.ofMillis(s.everyMs()),
                        s.zone(),
                        s.job().type(),
                        s.job().queue(),
                        MissedTicks.of(s.missed()),
                        s.paused(),
                        s.nextRunAt(),
                        s.lastRunAt(),
                        s.lastJobId()))
                .toList();
    }

    public boolean remove(String name) throws SQLException {
        return db.transaction(tx -> store.schedules().removeSchedule(tx, name));
    }

    public boolean pause(String name) throws SQLException {
        return db.transaction(tx -> store.schedules().pauseSchedule(tx, name, true, null));
    }

    /** Resumes from the next tick after now: ticks that passed while paused are not made up for. */
    public boolean resume(String name) throws SQLException {
        return db.transaction(tx -> {
            Optional<Schedules.StoredSchedule> stored = store.schedules().schedules(tx).stream()
                    .filter(s -> s.name().equals(name))
                    .findFirst();
            if (stored.isEmpty()) {
                return false;
            }
            Instant now = store.schedules().now(tx);
            Instant next = Ticker.cadence(stored.get()).next(now).orElse(now.plus(Duration.ofDays(36_500)));
            return store.schedules().pauseSchedule(tx, name, false, next);
        });
    }
}
