package dev.steadfast.jdbc;

import java.time.Duration;
import java.util.Objects;

/**
 * How long and how often a unit of work is replayed after connection losses: exponential backoff with
 * full jitter between {@code initialBackoff} and {@code maxBackoff}, until {@code deadline} has passed
 * since the unit started or {@code maxAttempts} attempts were made.
 */
public record RetryPolicy(Duration deadline, int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    /** 30 s, 100 attempts, 50 ms doubling up to 2 s. */
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(Duration.ofSeconds(30), 100, Duration.ofMillis(50), Duration.ofSeconds(2));

    public RetryPolicy {
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (deadline.isNegative()
                || maxAttempts < 1
                || initialBackoff.isNegative()
                || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("invalid retry policy " + deadline + ", " + maxAttempts
                    + " attempts, backoff " + initialBackoff + ".." + maxBackoff);
        }
    }

    public RetryPolicy withDeadline(Duration newDeadline) {
        return new RetryPolicy(newDeadline, maxAttempts, initialBackoff, maxBackoff);
    }

    public RetryPolicy withMaxAttempts(int attempts) {
        return new RetryPolicy(deadline, attempts, initialBackoff, maxBackoff);
    }

    /** Upper bound of the pause before attempt {@code attempt + 1} (attempt counts from 1). */
    public Duration backoffCeiling(int attempt) {
        long initial = Math.max(1, initialBackoff.toMillis());
        int shift = Math.min(30, Math.max(0, attempt - 1));
        long ceiling = initial << shift;
        return Duration.ofMillis(Math.min(maxBackoff.toMillis(), ceiling));
    }
}
