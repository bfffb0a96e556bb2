package dev.steadfast.queue;

import java.util.Locale;

/**
 * Where a job is, as stored ({@code sf_job.state}). Readers report a {@link JobStatus}: this state, with a pending job
 * whose time has not come as {@link JobStatus#SCHEDULED} (reported, not stored). A
 * {@code CANCELLED} job was cancelled before it ran, or stopped on request while it ran: it does not run (again), is
 * not retried and is not a failure.
 */
public enum JobState {
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED,
    /**
     * Neither pending nor claimable: waits for the jobs it runs after, or stands in for a batch until the batch ends.
     */
    WAITING;

    /** The value stored in {@code sf_job.state}. */
    public String column() {
        return name().toLowerCase(Locale.ROOT);
    }
}
