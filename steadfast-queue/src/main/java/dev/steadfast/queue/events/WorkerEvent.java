package dev.steadfast.queue.events;

import java.time.Duration;
import java.time.Instant;

/** Something a worker did or saw, delivered to {@link WorkerListener}s. */
public sealed interface WorkerEvent {

    /** When it happened. */
    Instant at();

    /** A handler is about to run an attempt. */
    record JobStarted(long jobId, String queue, String type, int attempt, String workerId, Instant at)
            implements WorkerEvent {}

    /**
     * An attempt ended.
     *
     * @param result     what the worker records for it
     * @param duration   time spent in the handler (zero when no handler ran, e.g. an unknown type)
     * @param errorClass for a retry or failure, the error's class; null on success
     * @param message    its message; may be null
     */
    record JobFinished(
            long jobId,
            String queue,
            String type,
            int attempt,
            int maxAttempts,
            Result result,
            Duration duration,
            String errorClass,
            String message,
            String workerId,
            Instant at)
            implements WorkerEvent {

        /** What became of an attempt. */
        public enum Result {
            SUCCEEDED,
            RETRIED,
            FAILED,
            CANCELLED
        }

        /** The error as one line ({@code class: message}), or null when the attempt succeeded or was cancelled. */
        public String errorSummary() {
            return errorClass == null ? null : ErrorSummary.of(errorClass, message);
        }
    }

    /**
     * The worker lost its database: claims pause, outcomes wait in memory. Reported when a unit of work
     * gives up; {@code at} is when the outage began (that unit's first failure), which can be well before.
     */
    record DatabaseDown(String reason, Instant at) implements WorkerEvent {}

    /** The database is back after {@code downtime}. */
    record DatabaseUp(Duration downtime, Instant at) implements WorkerEvent {}
}
