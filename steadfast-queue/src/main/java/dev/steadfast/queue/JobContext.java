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
 * @param cancelRequested true once the job was cancelled while it runs (see {@link #isCancelled()})
 */
public record JobContext(
        long jobId,
        String queue,
        String type,
        int attempt,
        int maxAttempts,
        String workerId,
        BooleanSupplier stopRequested,
        BooleanSupplier cancelRequested) {

    public JobContext {
        stopRequested = stopRequested == null ? () -> false : stopRequested;
        cancelRequested = cancelRequested == null ? () -> false : cancelRequested;
    }

    /** A context of a job that is not cancelled. */
    public JobContext(
            long jobId,
            String queue,
            String type,
            int attempt,
            int maxAttempts,
            String workerId,
            BooleanSupplier stopRequested) {
        this(jobId, queue, type, attempt, maxAttempts, workerId, stopRequested, () -> false);
    }

    /** A context whose worker never stops (for tests of handlers). */
    public JobContext(long jobId, String queue, String type, int attempt, int maxAttempts, String workerId) {
        this(jobId, queue, type, attempt, maxAttempts, workerId, () -> false, () -> false);
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

    /**
     * Whether the job was cancelled while it runs ({@code steadfast cancel}, {@link JobQueue#cancel(long)}): its thread
     * is interrupted too. A handler that notices should stop and throw (any exception): the job then ends
     * {@code cancelled}, not retried. One that returns normally succeeds. The worker learns of a cancellation at its
     * next heartbeat (a third of the lease, 10 s by default).
     */
    public boolean isCancelled() {
        return cancelRequested.getAsBoolean();
    }
}
