package dev.steadfast.queue;

import java.time.Instant;
import java.util.List;

/**
 * One row of {@code sf_job} as the dashboard and {@link JobQueue#job(long)} show it.
 *
 * @param payload    the JSON payload: null in lists, at most the asked-for head in {@link JobBrowser#job(long, int)}
 * @param state      stored state, with pending jobs whose time has not come shown as {@code scheduled}
 * @param leaseOwner the worker running it, while running
 * @param lastError  the last attempt's error; in lists only its first 500 characters
 * @param history    its finished attempts, oldest first; empty in lists
 */
public record JobView(long id, String queue, String type, String payload, int priority, String state, int attempts,
                      int maxAttempts, Instant runAt, Instant createdAt, Instant updatedAt, Instant finishedAt,
                      String uniqueKey, String leaseOwner, String lastError, List<JobAttempt> history) {
    public JobView {
        history = history == null ? List.of() : List.copyOf(history);
    }

    /** A view without attempt history (as lists show jobs). */
    public JobView(long id, String queue, String type, String payload, int priority, String state, int attempts,
                   int maxAttempts, Instant runAt, Instant createdAt, Instant updatedAt, Instant finishedAt,
                   String uniqueKey, String leaseOwner, String lastError) {
        this(id, queue, type, payload, priority, state, attempts, maxAttempts, runAt, createdAt, updatedAt, finishedAt,
                uniqueKey, leaseOwner, lastError, List.of());
    }
}
