package dev.steadfast.queue;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where a job is, as views, filters, counts, the command line, the dashboard and the HTTP API report it: the one
 * status type of everything that reads jobs.
 *
 * <p>Six statuses are stored ({@link JobState}, the value of {@code sf_job.state}); one is reported only:
 * {@link #SCHEDULED} is a stored {@link JobState#PENDING} job whose run time has not come. {@link #stored()} maps a
 * status to the state it is stored as, {@link #of(JobState, boolean)} a stored state to the status reported.
 *
 * <p>Its text form ({@link #text()}: {@code pending}, {@code scheduled}, {@code running}, {@code succeeded},
 * {@code failed}, {@code cancelled}, {@code waiting}) is what JSON fields, command output, {@code --state} options, dashboard pages
 * and {@code ?state=} parameters carry; {@link #parse(String)} reads it back with a message fit to show a user.
 */
public enum JobStatus {
    /** Due and waiting for a worker (stored as {@link JobState#PENDING}). */
    PENDING(JobState.PENDING),
    /** Waiting for its run time (stored as {@link JobState#PENDING}: reported, never stored). */
    SCHEDULED(JobState.PENDING),
    /** Leased to a worker. */
    RUNNING(JobState.RUNNING),
    /** Done. */
    SUCCEEDED(JobState.SUCCEEDED),
    /** Attempts used up, or not retryable. */
    FAILED(JobState.FAILED),
    /** Cancelled before it ran, or stopped on request while it ran. */
    CANCELLED(JobState.CANCELLED),
    /** Waits for the jobs it runs after (a chain, a workflow), or stands in for a batch: not claimable yet. */
    WAITING(JobState.WAITING);

    /** Every status's text, in the order of the constants (as lists and filters offer them). */
    public static final List<String> TEXTS =
            Arrays.stream(values()).map(JobStatus::text).toList();

    private final JobState stored;

    JobStatus(JobState stored) {
        this.stored = stored;
    }

    /** The text form: the enum's name in lower case ({@code scheduled}), as JSON, output and options carry it. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state a job in this status is stored in ({@link #SCHEDULED} is stored as {@link JobState#PENDING}). */
    public JobState stored() {
        return stored;
    }

    /** Whether jobs in this status wait to run (pending or scheduled): lists show them by run time, next first. */
    public boolean waiting() {
        return stored == JobState.PENDING;
    }

    /** Whether a job in this status can be cancelled (pending, scheduled) or asked to stop (running). */
    public boolean cancellable() {
        return stored == JobState.PENDING || stored == JobState.RUNNING || stored == JobState.WAITING;
    }

    /**
     * The status reported for a stored state.
     *
     * @param due for a pending job, whether its run time has come (else it is {@link #SCHEDULED}); ignored otherwise
     */
    public static JobStatus of(JobState state, boolean due) {
        return switch (state) {
            case PENDING -> due ? PENDING : SCHEDULED;
            case RUNNING -> RUNNING;
            case SUCCEEDED -> SUCCEEDED;
            case FAILED -> FAILED;
            case CANCELLED -> CANCELLED;
            case WAITING -> WAITING;
        };
    }

    /**
     * The status a text names as {@link #parse(String)} reads it, or null for null or blank text (as filters take it:
     * any status).
     *
     * @throws IllegalArgumentException for text that names no status
     */
    public static JobStatus parseOrNull(String text) {
        return text == null || text.isBlank() ? null : parse(text);
    }

    /**
     * The status a text names, exactly as {@link #text()} writes it (surrounding blanks aside).
     *
     * @throws IllegalArgumentException for any other text (null included), with a message that lists the statuses,
     *                                  fit to show to whoever typed it
     */
    public static JobStatus parse(String text) {
        String t = text == null ? "" : text.trim();
        for (JobStatus s : values()) {
            if (s.text().equals(t)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown state '" + t + "' (one of " + String.join(", ", TEXTS) + ")");
    }
}
