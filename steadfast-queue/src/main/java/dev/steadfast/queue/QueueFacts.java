package dev.steadfast.queue;

/**
 * What the queue's tables hold that a health check cares about ({@code steadfast doctor}).
 *
 * @param largestPendingPayload bytes of the largest payload still to run (0 when none)
 * @param duePending            pending jobs whose time has come
 * @param oldestDueSeconds      how long the oldest of them has waited
 * @param expiredLeases         running jobs whose lease has expired (their worker is gone)
 * @param failed                failed jobs
 */
public record QueueFacts(long largestPendingPayload, long duePending, long oldestDueSeconds, long expiredLeases, long failed) {
}
