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
public record FailedJob(
        long id,
        String queue,
        String type,
        String payload,
        int attempts,
        String errorClass,
        String message,
        String stackTrace,
        String worker,
        Instant failedAt) {

    /**
     * The record as it was when the failed-job log had ids of its own.
     *
     * @deprecated a failed job's id is its job id: use the constructor without {@code jobId}
     */
    @Deprecated
    public FailedJob(
            long id,
            long jobId,
            String queue,
            String type,
            String payload,
            int attempts,
            String errorClass,
            String message,
            String stackTrace,
            String worker,
            Instant failedAt) {
        this(jobId, queue, type, payload, attempts, errorClass, message, stackTrace, worker, failedAt);
    }

    /**
     * The job's id: the same as {@link #id()} since failed jobs and jobs share one id space.
     *
     * @deprecated use {@link #id()}
     */
    @Deprecated
    public long jobId() {
        return id;
    }

    /**
     * How a job's error is written ({@code class: message}).
     *
     * @deprecated use {@link ErrorSummary#of}
     */
    @Deprecated
    public static String errorSummary(String errorClass, String message) {
        return ErrorSummary.of(errorClass, message);
    }

    /** The error as one line: {@code class: message} ({@link ErrorSummary}). */
    public String errorSummary() {
        return ErrorSummary.of(errorClass, message);
    }
}
