package dev.steadfast.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A schedule as stored. Its cadence is data, either {@code cron} or {@code every}: how it is written for people
 * ({@code every 5m}) is up to whoever shows it (the command line and the dashboard share one formatter).
 *
 * @param name      its name
 * @param cron      the cron expression, or null for an interval
 * @param every     the interval, or null for a cron expression
 * @param zone      the cron expression's time zone
 * @param type      the job type it enqueues
 * @param queue     the queue it enqueues into
 * @param missed    what it does with missed ticks
 * @param paused    whether it is paused (enqueues nothing)
 * @param nextRun   its next tick
 * @param lastRun   the tick it last enqueued a job for, or null
 * @param lastJobId that job's id, or null
 */
public record ScheduleView(
        String name,
        String cron,
        Duration every,
        String zone,
        String type,
        String queue,
        MissedTicks missed,
        boolean paused,
        Instant nextRun,
        Instant lastRun,
        Long lastJobId) {
    private static final Pattern EVERY = Pattern.compile("every (\\d+)(ms|s|m|h|d)");

    public ScheduleView {
        if ((cron == null) == (every == null)) {
            throw new IllegalArgumentException("a schedule has either a cron expression or an interval");
        }
    }

    /**
     * A view from a cadence as text: the cron expression, or {@code every} and an interval ({@code every 5m}).
     *
     * @deprecated use the constructor with {@code cron} and {@code every}
     */
    @Deprecated
    public ScheduleView(
            String name,
            String cadence,
            String zone,
            String type,
            String queue,
            MissedTicks missed,
            boolean paused,
            Instant nextRun,
            Instant lastRun,
            Long lastJobId) {
        this(
                name,
                interval(cadence) == null ? cadence : null,
                interval(cadence),
                zone,
                type,
                queue,
                missed,
                paused,
                nextRun,
                lastRun,
                lastJobId);
    }

    /**
     * The cron expression, or {@code every 5m} (the interval in the largest unit that states it exactly).
     *
     * @deprecated use {@link #cron()} or {@link #every()}: showing them is the caller's to choose
     */
    @Deprecated
    public String cadence() {
        if (cron != null) {
            return cron;
        }
        long ms = every.toMillis();
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (ms % sizes[i] == 0) {
                return "every " + ms / sizes[i] + units[i];
            }
        }
        return "every " + ms + "ms";
    }

    private static Duration interval(String cadence) {
        Matcher m = cadence == null ? null : EVERY.matcher(cadence);
        if (m == null || !m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
