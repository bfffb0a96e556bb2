package dev.steadfast.queue;

import java.time.Instant;

/**
 * What operators decided about a queue.
 *
 * @param queue    the queue's name
 * @param paused   whether workers start no job from it (it still accepts jobs)
 * @param pausedAt since when, while paused
 */
public record QueueControl(String queue, boolean paused, Instant pausedAt) {
}
