package dev.steadfast.queue;

import java.time.Instant;

/**
 * One row of {@code sf_job} as the dashboard shows it.
 *
 * @param payload    the JSON payload: null in lists, at most the asked-for head in {@link JobBrowser#job(long, int)}
 * @param state      stored state, with pending jobs whose time has not come shown as {@code scheduled}
 * @param leaseOwner the worker running it, while running
 * @param lastError  the last attempt's error; in lists only its first 500 characters
 */
public record JobView(long id, String queue, String type, String payload, int priority, String state, int attempts,
                      int maxAttempts, Instant runAt, Instant createdAt, Instant updatedAt, Instant finishedAt,
                      String uniqueKey, String leaseOwner, String lastError) {
}
