package dev.steadfast.queue;

/**
 * What a handler knows about the job it runs.
 *
 * @param jobId       the job's id
 * @param queue       its queue
 * @param type        its type
 * @param attempt     this attempt's number, from 1
 * @param maxAttempts attempts allowed
 * @param workerId    the worker running it
 */
public record JobContext(long jobId, String queue, String type, int attempt, int maxAttempts, String workerId) {

    /** Whether a failure of this attempt sends the job to the failed-job log. */
    public boolean lastAttempt() {
        return attempt >= maxAttempts;
    }
}
