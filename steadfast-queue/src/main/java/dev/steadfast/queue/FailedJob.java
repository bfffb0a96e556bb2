package dev.steadfast.queue;

import dev.steadfast.queue.events.ErrorSummary;

import java.time.Instant;

/**
 * A failed job: a job that used up its attempts (or failed for good at once), with the details of its last error.
 * Its id is the job's id, the same everywhere (lists, {@code failed retry}, the dashboard's job page).
 *
 * @param id         the job's id
 * @param queue      queue
 * @param type       job type
 * @param payload    JSON payload; null in lists ({@link JobBrowser#failures})
 * @param attempts   attempts made
 * @param errorClass the last error's class
 * @param message    its message
 * @param stackTrace its stack trace (null for failures the worker decided on itself, and in lists)
 * @param worker     the worker of the last attempt
 * @param failedAt   when it failed for good
 */
public record FailedJob(long id, String queue, String type, String payload, int attempts,
                        String errorClass, String message, String stackTrace, String worker, Instant failedAt) {

    /** The error as one line: {@code class: message} ({@link ErrorSummary}). */
    public String errorSummary() {
        return ErrorSummary.of(errorClass, message);
    }
}
