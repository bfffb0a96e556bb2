package dev.steadfast.queue;

/**
 * What the queue's tables hold that a health check cares about ({@code steadfast doctor}).
 *
 * @param largestPendingPayload bytes of the largest payload among the next 100 pending jobs (0 when none)
 * @param duePending            pending jobs whose time has come (estimated above {@link QueueCounts#EXACT_UP_TO} per queue)
 * @param oldestDueSeconds      how long the oldest of them has waited
 * @param expiredLeases         running jobs whose lease has expired (their worker is gone)
 * @param failed                failed jobs (estimated above {@link QueueCounts#EXACT_UP_TO} per queue)
 */
public record QueueFacts(
        long largestPendingPayload, long duePending, long oldestDueSeconds, long expiredLeases, long failed) {}
