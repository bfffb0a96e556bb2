package dev.steadfast.queue;

/**
 * Jobs by state. {@code scheduled} are pending jobs whose time has not come; {@code pending} are due.
 *
 * @param pending   due and waiting for a worker
 * @param scheduled waiting for their run time
 * @param running   leased to a worker
 * @param succeeded done (until purged after the retention period)
 * @param failed    failed (attempts used up, or not retryable)
 */
public record QueueCounts(long pending, long scheduled, long running, long succeeded, long failed) {
    public static final QueueCounts EMPTY = new QueueCounts(0, 0, 0, 0, 0);

    QueueCounts plus(QueueCounts o) {
        return new QueueCounts(pending + o.pending, scheduled + o.scheduled, running + o.running,
                succeeded + o.succeeded, failed + o.failed);
    }
}
