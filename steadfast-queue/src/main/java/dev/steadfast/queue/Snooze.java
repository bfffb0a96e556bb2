package dev.steadfast.queue;

import java.time.Duration;
import java.util.Objects;

/**
 * Thrown by a handler (or {@link JobContext#snooze}) to run the job again after {@link #delay()} without counting the
 * attempt: not a failure (no error recorded, the retry backoff not used), its attempt history says {@code snoozed}.
 * A transactional handler's writes roll back. A job may snooze any number of times.
 */
public final class Snooze extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Duration delay;

    /** @param delay how long to wait before the job runs again (zero or more) */
    public Snooze(Duration delay) {
        super("snoozed for " + Objects.requireNonNull(delay, "delay"), null, false, false);
        if (delay.isNegative()) {
            throw new IllegalArgumentException("a snooze cannot be negative, was " + delay);
        }
        this.delay = delay;
    }

    /** How long the job waits before it runs again. */
    public Duration delay() {
        return delay;
    }
}
