package dev.steadfast.queue;

import java.time.Instant;

/**
 * A schedule as stored.
 *
 * @param name      its name
 * @param cadence   the cron expression, or {@code every 5m}
 * @param zone      the cron expression's time zone
 * @param type      the job type it enqueues
 * @param queue     the queue it enqueues into
 * @param missed    what it does with missed ticks
 * @param paused    whether it is paused (enqueues nothing)
 * @param nextRun   its next tick
 * @param lastRun   the tick it last enqueued a job for, or null
 * @param lastJobId that job's id, or null
 */
public record ScheduleView(String name, String cadence, String zone, String type, String queue, MissedTicks missed,
                           boolean paused, Instant nextRun, Instant lastRun, Long lastJobId) {
}
