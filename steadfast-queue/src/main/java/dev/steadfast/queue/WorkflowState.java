package dev.steadfast.queue;

import java.util.Locale;

/** Where a workflow is, derived from its steps' states. */
public enum WorkflowState {
    /** Some step is pending, scheduled or running. */
    RUNNING,
    /** Nothing runs, and steps wait for a failed step to be retried (its policy is {@link FailurePolicy#WAIT}). */
    WAITING,
    /** Every step succeeded. */
    SUCCEEDED,
    /** Every step ended, and at least one failed. */
    FAILED,
    /** Every step ended, some cancelled (the workflow was cancelled, or a failure cancelled its dependents). */
    CANCELLED;

    /** The text form: {@code running}, {@code waiting}, {@code succeeded}, {@code failed}, {@code cancelled}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the workflow has ended (nothing of it runs or waits any more). */
    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
