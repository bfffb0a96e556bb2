package dev.steadfast.queue;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a job that runs after others does when one of them fails for good or is cancelled. Set per workflow, or per
 * step ({@link WorkflowRequest.Builder#onFailure(String, FailurePolicy)}); a chain ({@link JobRequest.Builder#after})
 * has the default.
 */
public enum FailurePolicy {
    /** The default: the waiting dependent is cancelled, and so, in turn, are the jobs waiting for it. */
    CANCEL_DEPENDENTS,
    /** The failed parent counts as done: the dependent runs once its other parents are done too. */
    CONTINUE,
    /**
     * The dependent keeps waiting (its workflow shows {@code waiting}) until the failed parent is retried by hand and
     * succeeds.
     */
    WAIT;

    /** Every policy's text, in the order of the constants. */
    public static final List<String> TEXTS =
            Arrays.stream(values()).map(FailurePolicy::text).toList();

    /** The text form ({@code cancel_dependents}, {@code continue}, {@code wait}), as JSON, options and the schema carry it. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The policy a text names.
     *
     * @throws IllegalArgumentException for any other text, with a message that lists the policies
     */
    public static FailurePolicy parse(String text) {
        String t = text == null ? "" : text.trim();
        for (FailurePolicy p : values()) {
            if (p.text().equals(t)) {
                return p;
            }
        }
        throw new IllegalArgumentException(
                "unknown failure policy '" + t + "' (one of " + String.join(", ", TEXTS) + ")");
    }
}
