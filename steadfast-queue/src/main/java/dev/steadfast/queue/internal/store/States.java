package dev.steadfast.queue.internal.store;

import dev.steadfast.queue.JobState;

/**
 * The stored states of {@code sf_job.state} as SQL string literals; "scheduled" is a pending job whose time has not
 * come, shown, never stored.
 */
final class States {
    static final String PENDING = literal(JobState.PENDING);
    static final String RUNNING = literal(JobState.RUNNING);
    static final String SUCCEEDED = literal(JobState.SUCCEEDED);
    static final String FAILED = literal(JobState.FAILED);
    static final String CANCELLED = literal(JobState.CANCELLED);
    static final String WAITING = literal(JobState.WAITING);

    private States() {}

    /** A stored state as an SQL string literal (the states are our own lower-case words: nothing to escape). */
    static String literal(JobState state) {
        return "'" + state.column() + "'";
    }
}
