package dev.steadfast.queue.internal.store;

import java.time.Duration;
import java.time.Instant;

/** A job row to insert (by an enqueue, or by a schedule's tick; a schedule stores one as its template). */
public record NewJob(
        String queue,
        String type,
        String payloadJson,
        int priority,
        Duration delay,
        Instant runAt,
        int maxAttempts,
        String uniqueKey,
        Duration timeout,
        String concurrencyKey,
        int concurrencyLimit) {

    /** A job without a concurrency limit. */
    public NewJob(
            String queue,
            String type,
            String payloadJson,
            int priority,
            Duration delay,
            Instant runAt,
            int maxAttempts,
            String uniqueKey,
            Duration timeout) {
        this(queue, type, payloadJson, priority, delay, runAt, maxAttempts, uniqueKey, timeout, null, 0);
    }
}
