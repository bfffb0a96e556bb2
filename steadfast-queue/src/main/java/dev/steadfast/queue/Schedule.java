package dev.steadfast.queue;

import dev.steadfast.jdbc.text.HumanDuration;
import dev.steadfast.queue.internal.schedule.Cadence;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A recurring job: a job made from {@code job} at every tick of a cron expression (5 fields, or 6 with seconds
 * first; in a time zone, daylight saving time included) or of a fixed interval. Schedules live in the database:
 * every worker takes part, none is special, and each tick is enqueued exactly once.
 *
 * <pre>{@code
 * queue.schedule(Schedule.cron("nightly-report", "0 3 * * *", ZoneId.of("Europe/Berlin"),
 *         JobRequest.of("report").queue("reports").build()));
 * queue.schedule(Schedule.every("heartbeat-ping", Duration.ofMinutes(5), JobRequest.of("ping").build())
 *         .missed(MissedTicks.ONCE));
 * }</pre>
 *
 * @param name   unique ({@link NameRule}); scheduling a name again updates it
 * @param cron   the cron expression, or null for an interval
 * @param zone   the cron expression's time zone (UTC unless given)
 * @param every  the interval, or null for a cron expression
 * @param job    what to enqueue at each tick: type, payload, queue, priority, attempts, timeout (its delay, run time
 *               and unique key are not used)
 * @param missed what to do with ticks missed while no worker ran
 */
public record Schedule(String name, String cron, ZoneId zone, Duration every, JobRequest job, MissedTicks missed) {
    /** At most this many missed ticks are enqueued at once under {@link MissedTicks#ALL}. */
    public static final int MAX_CATCH_UP = 100;

    public Schedule {
        NameRule.schedule(name);
        if ((cron == null) == (every == null)) {
            throw new IllegalArgumentException("a schedule needs either a cron expression or an interval");
        }
        if (every != null
                && (every.compareTo(Duration.ofSeconds(1)) < 0 || every.compareTo(JobRequest.LONGEST_DELAY) > 0)) {
            throw new IllegalArgumentException("an interval of 1 s to " + JobRequest.LONGEST_DELAY.toDays()
                    + " days is required, got "
                    + (every.compareTo(Duration.ofDays(1)) > 0 ? every.toDays() + " days" : HumanDuration.of(every)));
        }
        zone = zone == null ? ZoneOffset.UTC : zone;
        Objects.requireNonNull(job, "job");
        missed = missed == null ? MissedTicks.SKIP : missed;
        // checks the expression now, with the library's own message (the parameters: fields are set after this body)
        if (cron != null) {
            Cadence.cron(cron, zone);
        }
    }

    /** A schedule on a cron expression (5 fields, or 6 with seconds first) in a time zone. */
    public static Schedule cron(String name, String expression, ZoneId zone, JobRequest job) {
        return new Schedule(name, expression, zone, null, job, MissedTicks.SKIP);
    }

    /** A schedule every {@code interval}, the first tick one interval after it is created. */
    public static Schedule every(String name, Duration interval, JobRequest job) {
        return new Schedule(name, null, null, interval, job, MissedTicks.SKIP);
    }

    /** The same schedule with another policy for missed ticks. */
    public Schedule missed(MissedTicks policy) {
        return new Schedule(name, cron, zone, every, job, policy);
    }
}
