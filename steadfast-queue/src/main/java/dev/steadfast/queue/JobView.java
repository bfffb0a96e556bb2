package dev.steadfast.queue;

import java.time.Instant;
import java.util.List;

/**
 * One row of {@code sf_job} as the dashboard and {@link JobQueue#job(long)} show it.
 *
 * @param payload    the JSON payload: null in lists, at most the asked-for head in {@link JobBrowser#job(long, int)}
 * @param state      the reported status's text ({@link JobStatus#text()}): the stored state, with pending jobs whose
 *                   time has not come as {@code scheduled}; {@link #status()} is its typed form
 * @param leaseOwner the worker running it, while running
 * @param lastError  the last attempt's error; in lists only its first 500 characters
 * @param history    its finished attempts, oldest first; empty in lists
 */
public record JobView(
        long id,
        String queue,
        String type,
        String payload,
        int priority,
        String state,
        int attempts,
        int maxAttempts,
        Instant runAt,
        Instant createdAt,
        Instant updatedAt,
        Instant finishedAt,
        String uniqueKey,
        String leaseOwner,
        String lastError,
        List<JobAttempt> history) {
    public JobView {
        history = history == null ? List.of() : List.copyOf(history);
    }

    /**
     * The reported status's text.
     *
     * @deprecated use {@link #status()} (its {@link JobStatus#text()} is this text)
     */
    @Deprecated
    @Override
    public String state() {
        return state;
    }

    /** Where the job is: its stored state, with a pending job whose time has not come as {@link JobStatus#SCHEDULED}. */
    public JobStatus status() {
        return JobStatus.parse(state);
    }

    /** A view without attempt history (as lists show jobs). */
    public JobView(
            long id,
            String queue,
            String type,
            String payload,
            int priority,
            String state,
            int attempts,
            int maxAttempts,
            Instant runAt,
            Instant createdAt,
            Instant updatedAt,
            Instant finishedAt,
            String uniqueKey,
            String leaseOwner,
            String lastError) {
        this(
                id,
                queue,
                type,
                payload,
                priority,
                state,
                attempts,
                maxAttempts,
                runAt,
                createdAt,
                updatedAt,
                finishedAt,
                uniqueKey,
                leaseOwner,
                lastError,
                List.of());
    }
}
