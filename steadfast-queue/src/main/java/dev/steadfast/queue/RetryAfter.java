package dev.steadfast.queue;

import java.time.Duration;
import java.util.Objects;

/**
 * Thrown by a handler to fail the attempt and have the job retried after {@link #delay()} instead of its retry
 * backoff's delay (an HTTP 429 or 503 with {@code Retry-After}). The attempt counts: after the last one the job fails
 * as any failure does. Its cause (or its message without one) is the error recorded.
 */
public final class RetryAfter extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Duration delay;

    /**
     * @param delay how long to wait before the next attempt (zero or more)
     * @param cause why the attempt failed (recorded as its error)
     */
    public RetryAfter(Duration delay, Throwable cause) {
        super("retry after " + Objects.requireNonNull(delay, "delay"), cause);
        if (delay.isNegative()) {
            throw new IllegalArgumentException("a retry delay cannot be negative, was " + delay);
        }
        this.delay = delay;
    }

    /**
     * @param delay   how long to wait before the next attempt (zero or more)
     * @param message why the attempt failed (recorded as its error)
     */
    public RetryAfter(Duration delay, String message) {
        super(message);
        if (Objects.requireNonNull(delay, "delay").isNegative()) {
            throw new IllegalArgumentException("a retry delay cannot be negative, was " + delay);
        }
        this.delay = delay;
    }

    /** How long the job waits before its next attempt. */
    public Duration delay() {
        return delay;
    }
}
