package dev.steadfast.queue.internal.schedule;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.internal.store.Schedules.StoredSchedule;
import dev.steadfast.queue.internal.store.Store;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enqueues the due ticks of schedules. Every worker runs one; a tick is enqueued exactly once because the
 * transaction that inserts its job also moves the schedule on, under the schedule row's lock (SKIP LOCKED: a
 * schedule another worker is ticking is left to it), and a COMMIT cut off is resolved by reading the schedule's
 * next tick back. While nothing is due it reads one number (the time to the next tick) and sleeps until then.
 */
public final class Ticker {
    private static final Logger LOG = LoggerFactory.getLogger(Ticker.class);
    /** A tick older than this when it is enqueued was missed (no worker ran): the schedule's policy decides. */
    static final Duration LATE = Duration.ofMinutes(1);
    /** The longest sleep: a schedule added meanwhile with an earlier tick is seen within this. */
    static final Duration MAX_SLEEP = Duration.ofSeconds(5);

    private static final int SCHEDULES_PER_TRANSACTION = 20;

    private final ResilientDatabase db;
    private final Store store;
    private final int catchUpBound;
    private final Consumer<List<String>> enqueued;

    /**
     * @param catchUpBound at most this many missed ticks per schedule under "all"
     * @param enqueued     told the queues that got jobs, after the commit (to wake workers)
     */
    public Ticker(ResilientDatabase db, Store store, int catchUpBound, Consumer<List<String>> enqueued) {
        this.db = db;
        this.store = store;
        this.catchUpBound = catchUpBound;
        this.enqueued = enqueued;
    }

    /** Runs until interrupted. */
    public void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Duration sleep = tickOnce();
                if (!sleep.isZero()) {
                    Thread.sleep(sleep.toMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (SQLException | RuntimeException e) {
                LOG.warn("schedules: {} (trying again in {} s)", e.getMessage(), MAX_SLEEP.toSeconds());
                try {
                    Thread.sleep(MAX_SLEEP.toMillis());
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    /** Enqueues what is due now; answers how long to wait before looking again (zero: look again at once). */
    public Duration tickOnce() throws SQLException {
        Long until = db.read(store.schedules()::untilNextTick);
        if (until == null || until > 0) {
            return until == null ? MAX_SLEEP : Duration.ofMillis(Math.min(until, MAX_SLEEP.toMillis()));
        }
        Map<String, Instant> advancedTo = new HashMap<>();
        List<String> queues = new ArrayList<>();
        int ticked = db.transaction(
                c -> {
                    for (Map.Entry<String, Instant> e : advancedTo.entrySet()) {
                        if (!store.schedules().scheduleAt(c, e.getKey(), e.getValue())) {
                            return false;
                        }
                    }
                    return true;
                },
                tx -> {
                    advancedTo.clear();
                    queues.clear();
                    List<StoredSchedule> due = store.schedules().lockDueSchedules(tx, SCHEDULES_PER_TRANSACTION);
                    if (due.isEmpty()) {
                        return 0;
                    }
                    Instant now = store.schedules().now(tx);
                    for (StoredSchedule schedule : due) {
                        Cadence.Due ticks =
                                cadence(schedule).due(schedule.nextRunAt(), now, policy(schedule), LATE, catchUpBound);
                        Long lastJob = null;
                        for (Instant tick : ticks.ticks()) {
                            lastJob = store.inserts()
                                    .insertOne(tx, schedule.job())
                                    .id();
                            LOG.info("schedule {}: enqueued job {} for its tick at {}", schedule.name(), lastJob, tick);
                        }
                        if (ticks.dropped() > 0) {
                            LOG.warn(
                                    "schedule {}: {} tick(s) missed while no worker ran were not enqueued (missed: {})",
                                    schedule.name(),
                                    ticks.dropped(),
                                    schedule.missed());
                        }
                        // a schedule without further ticks (a date that never comes again) sleeps for a century
                        Instant next = ticks.next() != null ? ticks.next() : now.plus(Duration.ofDays(36_500));
                        store.schedules()
                                .advanceSchedule(
                                        tx,
                                        schedule.name(),
                                        next,
                                        ticks.ticks().isEmpty()
                                                ? null
                                                : ticks.ticks()
                                                        .get(ticks.ticks().size() - 1),
                                        lastJob);
                        advancedTo.put(schedule.name(), next);
                        if (lastJob != null) {
                            queues.add(schedule.job().queue());
                        }
                    }
                    return due.size();
                });
        if (!queues.isEmpty()) {
            enqueued.accept(queues);
        }
        return ticked == SCHEDULES_PER_TRANSACTION ? Duration.ZERO : Duration.ofMillis(1); // re-read the next tick
    }

    /** The cadence of a stored schedule. */
    public static Cadence cadence(StoredSchedule schedule) {
        return schedule.cron() != null
                ? Cadence.cron(schedule.cron(), ZoneId.of(schedule.zone()))
                : Cadence.every(Duration.ofMillis(schedule.everyMs()));
    }

    private static Cadence.MissedPolicy policy(StoredSchedule schedule) {
        return Cadence.MissedPolicy.valueOf(schedule.missed().toUpperCase(Locale.ROOT));
    }
}
