package dev.steadfast.queue.internal.worker;

import java.time.Duration;

/**
 * How much a worker claims and how long it waits, as pure decisions. Claims run ahead of free threads (up
 * to a batch waiting for a thread keeps threads busy and claims batched), but not further: with half a
 * batch or less of room left while every thread is busy, the poller waits for a slot instead of claiming a
 * trickle (back-pressure). An empty queue doubles the pause from {@code minPoll} to {@code maxPoll}; a
 * wake-up (a job enqueued in this JVM, a thread freed) starts over at {@code minPoll}.
 */
public record PollPolicy(int concurrency, int batchSize, Duration minPoll, Duration maxPoll) {

    /**
     * How many jobs to claim now: 0 means wait for a slot.
     *
     * @param free   claim slots free (threads plus the run-ahead batch, less the jobs held)
     * @param held   jobs held (running or waiting for a thread)
     * @param budget jobs the worker's limits still allow
     */
    public int claimSize(int free, int held, long budget) {
        if (budget <= 0 || free < batchSize / 2 + 1 && held > concurrency) {
            return 0;
        }
        return (int) Math.min(Math.min(free, batchSize), budget);
    }

    /** The pause after another empty claim. */
    public Duration nextIdle(Duration current) {
        Duration doubled = current.multipliedBy(2);
        return doubled.compareTo(maxPoll) > 0 ? maxPoll : doubled;
    }
}
