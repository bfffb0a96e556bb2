package dev.steadfast.queue.internal.store;

import java.time.Duration;

/**
 * A job this worker holds the lease of. Every write about it is conditional on {@code leaseToken}, so
 * a worker whose lease was taken over cannot record anything for the job.
 *
 * @param id          job id
 * @param queue       queue
 * @param type        job type
 * @param payload     JSON payload
 * @param attempt     this attempt's number (attempts after the claim)
 * @param maxAttempts attempts allowed
 * @param leaseToken  the token of this claim
 * @param timeout     the job's own time limit per attempt, or null
 * @param concurrencyKey the key whose slot the job holds while it runs, or null
 * @param batchId     the batch the job is a member of, or null
 * @param workflowId  the workflow the job is a step of, or null
 * @param callbackOf  the batch whose callback the job is, or null
 */
public record ClaimedJob(
        long id,
        String queue,
        String type,
        String payload,
        int attempt,
        int maxAttempts,
        long leaseToken,
        Duration timeout,
        String concurrencyKey,
        Long batchId,
        Long workflowId,
        Long callbackOf) {

    /** A job without a time limit or a concurrency key. */
    public ClaimedJob(
            long id, String queue, String type, String payload, int attempt, int maxAttempts, long leaseToken) {
        this(id, queue, type, payload, attempt, maxAttempts, leaseToken, null, null, null, null, null);
    }
}
