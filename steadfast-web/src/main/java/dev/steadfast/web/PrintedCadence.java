package dev.steadfast.web;

import dev.steadfast.queue.ScheduleView;

/**
 * A schedule's cadence as the command and the dashboard show it: its cron expression, or {@code every} and its
 * interval as {@code --every} takes it ({@code every 5m}, {@code every 1500ms}). The one place that words it.
 */
public final class PrintedCadence {
    private PrintedCadence() {}

    /** The cadence of a schedule: {@code 0 3 * * *} or {@code every 5m}. */
    public static String of(ScheduleView schedule) {
        return schedule.cron() != null ? schedule.cron() : "every " + DurationText.format(schedule.every());
    }
}
