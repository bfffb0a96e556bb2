package dev.steadfast.queue;

import java.util.List;

/**
 * A batch just enqueued.
 *
 * @param id      the batch's id
 * @param jobIds  its member jobs' ids, in the order they were added
 * @param batches its nested batches, in the order they were added (each stands in this batch as a job: {@link
 *                #standInJobId})
 * @param standInJobId for a nested batch, the job that stands for it in its parent batch; null otherwise
 */
public record BatchEnqueued(long id, List<Long> jobIds, List<BatchEnqueued> batches, Long standInJobId) {
    public BatchEnqueued {
        jobIds = List.copyOf(jobIds);
        batches = List.copyOf(batches);
    }
}
