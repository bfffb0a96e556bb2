package dev.steadfast.queue;

import java.util.function.BooleanSupplier;

/**
 * What a handler knows about the job it runs.
 *
 * @param jobId         the job's id
 * @param queue         its queue
 * @param type          its type
 * @param attempt       this attempt's number, from 1
 * @param maxAttempts   attempts allowed
 * @param workerId      the worker running it
 * @param stopRequested true once the worker running it is stopping (see {@link #isStopping()})
 */
public record JobContext(long jobId, String queue, String type, int attempt, int maxAttempts, String workerId,
                         BooleanSupplier stopRequested) {

    public JobContext {
        stopRequested = stopRequested == null ? () -> false : stopRequested;
    }

    /** A context whose worker never stops (for tests of handlers). */
    public JobContext(long jobId, String queue, String type, int attempt, int maxAttempts, String workerId) {
        this(jobId, queue, type, attempt, maxAttempts, workerId, () -> false);
    }

    /** Whether a failure of this attempt sends the job to the failed jobs. */
    public boolean lastAttempt() {
        return attempt >= maxAttempts;
    }

    /**
     * Whether the worker is stopping (SIGTERM, {@link Worker#stop()}): a long handler should come to a safe
     * point and return, or throw to have the job retried, before the shutdown grace period ends; after it the
     * job's lease is released and the job runs again elsewhere.
     */
    public boolean isStopping() {
        return stopRequested.getAsBoolean();
    }
}
