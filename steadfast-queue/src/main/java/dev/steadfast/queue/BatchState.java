package dev.steadfast.queue;

import java.util.Locale;

/**
 * Where a batch is. Its text form ({@link #text()}: {@code open}, {@code running}, {@code succeeded}, {@code failed},
 * {@code cancelled}) is what JSON fields, command output and pages show.
 */
public enum BatchState {
    /** Members may still be added from anywhere; the batch does not end until it is closed. */
    OPEN,
    /** Closed: it ends when its last member finishes (members that are running may still add members). */
    RUNNING,
    /** Every member succeeded. */
    SUCCEEDED,
    /** Every member finished, some failed or were cancelled. */
    FAILED,
    /** Cancelled: its pending members were cancelled, its running ones asked to stop; ended once they all finished. */
    CANCELLED;

    /** The lower-case word stored and shown. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
