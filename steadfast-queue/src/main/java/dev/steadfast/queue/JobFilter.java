package dev.steadfast.queue;

import dev.steadfast.jdbc.text.HumanDuration;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Which jobs a list, a count or a bulk action is about. Every part is optional (null: any); parts combine
 * with AND.
 *
 * <pre>{@code
 * JobFilter.all().status(JobStatus.FAILED).queue("mail").errorContaining("timeout")
 * }</pre>
 *
 * @param state          a reported status's text ({@link JobStatus#text()}): pending (due now), scheduled (pending, due
 *                       later), running, succeeded, failed, cancelled; {@link #status()} is its typed form
 * @param queue          exact queue name
 * @param type           exact job type
 * @param search         an id, or the start of a type or unique key
 * @param errorContains  text the last error contains
 * @param olderThan      finished (or, for unfinished jobs, created) longer ago than this
 */
public record JobFilter(
        String state, String queue, String type, String search, String errorContains, Duration olderThan) {
    /**
     * The states a filter can name.
     *
     * @deprecated use {@link JobStatus#values()} (or {@link JobStatus#TEXTS} for their text)
     */
    @Deprecated
    public static final List<String> STATES = JobStatus.TEXTS;

    /** @throws IllegalArgumentException when {@code state} is not a status's text (see {@link JobStatus#parse}) */
    public JobFilter {
        state = blankToNull(state);
        if (state != null) {
            JobStatus.parse(state);
        }
        queue = blankToNull(queue);
        type = blankToNull(type);
        search = blankToNull(search);
        errorContains = blankToNull(errorContains);
        if (olderThan != null && olderThan.isNegative()) {
            throw new IllegalArgumentException("olderThan must not be negative, got " + HumanDuration.of(olderThan));
        }
    }

    /** Every job. */
    public static JobFilter all() {
        return new JobFilter(null, null, null, null, null, null);
    }

    /**
     * The status's text, or null for any.
     *
     * @deprecated use {@link #status()}
     */
    @Deprecated
    @Override
    public String state() {
        return state;
    }

    /** The status the filter selects, or null for any. */
    public JobStatus status() {
        return state == null ? null : JobStatus.parse(state);
    }

    /** This filter for jobs in this status (null: any). */
    public JobFilter status(JobStatus status) {
        return new JobFilter(status == null ? null : status.text(), queue, type, search, errorContains, olderThan);
    }

    /**
     * This filter for jobs in the status of this text (null or blank: any).
     *
     * @deprecated use {@link #status(JobStatus)}, with {@link JobStatus#parse(String)} for a text
     */
    @Deprecated
    public JobFilter state(String shownState) {
        return new JobFilter(shownState, queue, type, search, errorContains, olderThan);
    }

    public JobFilter queue(String name) {
        return new JobFilter(state, name, type, search, errorContains, olderThan);
    }

    public JobFilter type(String jobType) {
        return new JobFilter(state, queue, jobType, search, errorContains, olderThan);
    }

    /** Matches an id exactly, or the start of a type or unique key. */
    public JobFilter search(String text) {
        return new JobFilter(state, queue, type, text, errorContains, olderThan);
    }

    public JobFilter errorContaining(String text) {
        return new JobFilter(state, queue, type, search, text, olderThan);
    }

    public JobFilter olderThan(Duration age) {
        return new JobFilter(state, queue, type, search, errorContains, Objects.requireNonNull(age));
    }

    /** Whether lists in this filter's state are ordered by when jobs will run (next first) rather than newest first. */
    public boolean byRunTime() {
        return state != null && status().waiting();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
