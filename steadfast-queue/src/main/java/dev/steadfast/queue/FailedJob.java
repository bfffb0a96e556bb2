package dev.steadfast.queue;

import dev.steadfast.queue.events.ErrorSummary;

import java.time.Instant;

/**
 * A row of the failed-job log.
 *
 * @param id         failed-job id
 * @param jobId      the job's id in {@code sf_job}
 * @param queue      queue
 * @param type       job type
 * @param payload    JSON payload; null in the views that leave it out ({@link JobBrowser#failure}, {@link JobBrowser#failures})
 * @param attempts   attempts made
 * @param errorClass the last error's class
 * @param message    its message
 * @param stackTrace its stack trace (null for failures the worker decided on itself, and in {@link JobBrowser#failures})
 * @param worker     the worker of the last attempt
 * @param failedAt   when it failed for good
 */
public record FailedJob(long id, long jobId, String queue, String type, String payload, int attempts,
                        String errorClass, String message, String stackTrace, String worker, Instant failedAt) {

    /** The error as one line: {@code class: message} ({@link ErrorSummary}). */
    public String errorSummary() {
        return ErrorSummary.of(errorClass, message);
    }
}
