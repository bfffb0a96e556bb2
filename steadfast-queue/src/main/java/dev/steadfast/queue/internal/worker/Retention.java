package dev.steadfast.queue.internal.worker;

import java.time.Duration;
import java.util.Locale;

/**
 * How long finished jobs are kept before the workers' housekeeping deletes them (checked, and defaulted, by
 * {@link dev.steadfast.queue.WorkerSettings}).
 *
 * @param finished   succeeded and cancelled jobs, after they finished
 * @param failed     jobs failed for good (with their failed-job log rows), after they failed; zero: no age limit
 * @param failedKept most failed jobs kept, the oldest (lowest id) deleted first beyond it; 0: no cap
 */
public record Retention(Duration finished, Duration failed, long failedKept) {
    /** For log lines: {@code 24 h}, {@code 30 d}, {@code 90 min}, {@code 45 s}. */
    public static String describe(Duration d) {
        if (d.isZero()) {
            return "0";
        }
        if (d.toSeconds() % 86_400 == 0) {
            return d.toDays() + " d";
        }
        if (d.toSeconds() % 3_600 == 0) {
            return d.toHours() + " h";
        }
        if (d.toSeconds() % 60 == 0) {
            return d.toMinutes() + " min";
        }
        return String.format(Locale.ROOT, "%d s", d.toSeconds());
    }

    /** {@code succeeded and cancelled jobs 24 h, failed jobs 30 d (at most 100000)}. */
    public String summary() {
        return "succeeded and cancelled jobs " + describe(finished) + ", failed jobs "
                + (failed.isZero() ? "without age limit" : describe(failed))
                + (failedKept == 0 ? " (no cap)" : " (at most " + failedKept + ")");
    }
}
