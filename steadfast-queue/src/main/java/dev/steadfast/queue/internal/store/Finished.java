package dev.steadfast.queue.internal.store;

import dev.steadfast.queue.JobState;

/**
 * A job that just reached an end (or came back from one), as what it completes needs to know it.
 *
 * @param jobId      the job
 * @param state      where it went: succeeded, failed or cancelled (or pending, for a finished job reopened)
 * @param batchId    the batch it is a member of, or null
 * @param dependents how many jobs wait for it
 */
public record Finished(long jobId, JobState state, Long batchId, int dependents) {}
