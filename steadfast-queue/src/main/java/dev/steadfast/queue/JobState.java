package dev.steadfast.queue;

import java.util.Locale;

/** Where a job is. "Scheduled" is a pending job whose time has not come; it is reported, not stored. */
public enum JobState {
    PENDING, RUNNING, SUCCEEDED, FAILED;

    /** The value stored in {@code sf_job.state}. */
    public String column() {
        return name().toLowerCase(Locale.ROOT);
    }
}
