package dev.steadfast.queue;

import java.util.List;

/**
 * One step of a workflow as it is now.
 *
 * @param name   the step's name
 * @param jobId  the step's job
 * @param status the job's status ({@link JobStatus#WAITING} while its parents have not all succeeded)
 * @param after  the names of the steps it runs after (empty for a first step)
 * @param result the job's result as JSON, or null (none, or not read)
 * @param batch  for a step that is a batch, its batch and progress (its {@code jobId} is the batch's stand-in job, and
 *               its status {@link JobStatus#RUNNING} once the batch's members were released); null for a job step
 */
public record WorkflowStep(
        String name, long jobId, JobStatus status, List<String> after, String result, BatchView batch) {
    public WorkflowStep {
        after = List.copyOf(after);
    }

    /** A step that is a job. */
    public WorkflowStep(String name, long jobId, JobStatus status, List<String> after, String result) {
        this(name, jobId, status, after, result, null);
    }
}
