package dev.steadfast.queue;

import java.time.Instant;

/**
 * What operators decided about a queue.
 *
 * @param queue     the queue's name
 * @param paused    whether workers start no job from it (it still accepts jobs)
 * @param pausedAt  since when, while paused
 * @param rateLimit how many of its jobs may start per span of time, or null for no limit
 */
public record QueueControl(String queue, boolean paused, Instant pausedAt, RateLimit rateLimit) {

    /** A queue without a rate limit. */
    public QueueControl(String queue, boolean paused, Instant pausedAt) {
        this(queue, paused, pausedAt, null);
    }
}
