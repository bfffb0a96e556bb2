package dev.steadfast.queue;

import java.time.Instant;

/**
 * A batch and its progress at the moment it was read: counters kept with each member's end, plus the running members
 * counted by index (pending = total - finished - running; a nested batch's stand-in counts as pending until its batch
 * ends).
 *
 * @param id            the batch's id
 * @param state         where the batch is
 * @param description   the description given at enqueue, or null
 * @param total         members ever added
 * @param pending       members not started (pending, scheduled or waiting)
 * @param running       members running now
 * @param succeeded     members that succeeded
 * @param failed        members that failed for good
 * @param cancelled     members cancelled (or deleted before they ran)
 * @param onSuccessJob  the job the on-success callback enqueued last, or null
 * @param onCompleteJob the job the on-complete callback enqueued last, or null
 * @param onFailureJob  the job the on-failure callback enqueued last, or null
 * @param parentBatchId the batch this one is nested in, or null
 * @param standInJobId  the job standing for this batch in its parent batch, or null
 * @param createdAt     when it was enqueued
 * @param finishedAt    when it ended, or null while it has not
 */
public record BatchView(
        long id,
        BatchState state,
        String description,
        long total,
        long pending,
        long running,
        long succeeded,
        long failed,
        long cancelled,
        Long onSuccessJob,
        Long onCompleteJob,
        Long onFailureJob,
        Long parentBatchId,
        Long standInJobId,
        Instant createdAt,
        Instant finishedAt) {

    /** Members finished, whatever the outcome. */
    public long finished() {
        return succeeded + failed + cancelled;
    }
}
