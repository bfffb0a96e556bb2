package dev.steadfast.queue;

import java.util.Set;
import java.util.TreeSet;

/**
 * Jobs by state. {@code scheduled} are pending jobs whose time has not come; {@code pending} are due.
 *
 * <p>Counts are exact up to {@link #EXACT_UP_TO} jobs of a queue in a state. Above that, counting exactly would
 * cost a scan of all of them, so the count is an estimate from the database's index statistics (typically within
 * 20%) and its name is in {@link #estimated()}: shown with a {@code ~}, never mistaken for an exact figure.
 *
 * @param pending   due and waiting for a worker
 * @param scheduled waiting for their run time
 * @param running   leased to a worker
 * @param succeeded done (until purged after the retention period)
 * @param failed    failed (attempts used up, or not retryable; until deleted after the failed retention or beyond its cap)
 * @param cancelled cancelled before or while they ran (until purged, as succeeded jobs are)
 * @param estimated the names of the counts that are estimates ({@code "pending"}, {@code "succeeded"}...); empty
 *                  when all are exact
 * @param waiting   waiting for the jobs they run after (chains, workflows), or standing in for a batch: not claimable
 */
public record QueueCounts(
        long pending,
        long scheduled,
        long running,
        long succeeded,
        long failed,
        long cancelled,
        Set<String> estimated,
        long waiting) {
    /** Up to this many jobs of one queue in one state, a count is exact. */
    public static final long EXACT_UP_TO = 10_000;

    public static final QueueCounts EMPTY = new QueueCounts(0, 0, 0, 0, 0);

    public QueueCounts {
        estimated = Set.copyOf(estimated);
    }

    /** Counts without waiting jobs (as before there were any). */
    public QueueCounts(
            long pending,
            long scheduled,
            long running,
            long succeeded,
            long failed,
            long cancelled,
            Set<String> estimated) {
        this(pending, scheduled, running, succeeded, failed, cancelled, estimated, 0);
    }

    /** Exact counts. */
    public QueueCounts(long pending, long scheduled, long running, long succeeded, long failed) {
        this(pending, scheduled, running, succeeded, failed, 0, Set.of());
    }

    /** Counts without cancelled jobs (as before there were any). */
    public QueueCounts(long pending, long scheduled, long running, long succeeded, long failed, Set<String> estimated) {
        this(pending, scheduled, running, succeeded, failed, 0, estimated);
    }

    /** The count of jobs in a status. */
    public long of(JobStatus status) {
        return of(status.text());
    }

    /** Whether the count of jobs in a status is an estimate. */
    public boolean isEstimate(JobStatus status) {
        return estimated.contains(status.text());
    }

    /** The count of a state by its name ({@link #of(JobStatus)} is its typed form): {@code "pending"}, {@code "scheduled"}, {@code "running"}, {@code "succeeded"}, {@code "failed"}, {@code "cancelled"}, {@code "waiting"}. */
    public long of(String state) {
        return switch (state) {
            case "pending" -> pending;
            case "scheduled" -> scheduled;
            case "running" -> running;
            case "succeeded" -> succeeded;
            case "failed" -> failed;
            case "cancelled" -> cancelled;
            case "waiting" -> waiting;
            default -> throw new IllegalArgumentException("no such state: " + state);
        };
    }

    /** Whether the count of this state ({@code "pending"}, {@code "scheduled"}...) is an estimate. */
    public boolean isEstimate(String state) {
        return estimated.contains(state);
    }

    QueueCounts plus(QueueCounts o) {
        Set<String> both = new TreeSet<>(estimated);
        both.addAll(o.estimated);
        return new QueueCounts(
                pending + o.pending,
                scheduled + o.scheduled,
                running + o.running,
                succeeded + o.succeeded,
                failed + o.failed,
                cancelled + o.cancelled,
                both,
                waiting + o.waiting);
    }
}
