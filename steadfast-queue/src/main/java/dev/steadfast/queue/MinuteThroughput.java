package dev.steadfast.queue;

/**
 * Jobs that finished in one minute, as {@link JobBrowser#finishedPerMinute(int)} lists them.
 *
 * @param minutesAgo how many whole minutes before the current one (0: the minute under way)
 * @param succeeded  jobs that succeeded in it
 * @param failed     jobs that failed for good in it
 */
public record MinuteThroughput(int minutesAgo, long succeeded, long failed) {
    /** Jobs that finished in it, succeeded or failed. */
    public long finished() {
        return succeeded + failed;
    }
}
