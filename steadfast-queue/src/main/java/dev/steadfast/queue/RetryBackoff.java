package dev.steadfast.queue;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Delay before retrying a failed job: {@code initial * multiplier^(attempt-1)}, capped, with a random
 * spread of {@code jitter} (0.2 = up to 20% either way) so that a burst of failures does not come back
 * as a burst of retries.
 *
 * @param initial    delay after the first failed attempt
 * @param multiplier growth per attempt
 * @param max        cap
 * @param jitter     relative random spread, 0 to 1
 */
public record RetryBackoff(Duration initial, double multiplier, Duration max, double jitter) {

    /** 5 s, doubling, up to 1 hour, 20% jitter. */
    public static final RetryBackoff DEFAULT = new RetryBackoff(Duration.ofSeconds(5), 2.0, Duration.ofHours(1), 0.2);

    public RetryBackoff {
        if (initial.isNegative() || multiplier < 1.0 || max.compareTo(initial) < 0 || jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException(
                    "invalid retry backoff " + initial + " x" + multiplier + " max " + max + " jitter " + jitter);
        }
    }

    /** Doubling from {@code initial} up to {@code max}, with 20% jitter. */
    public static RetryBackoff exponential(Duration initial, Duration max) {
        return new RetryBackoff(initial, 2.0, max, 0.2);
    }

    /** A fixed delay without jitter (tests, or handlers that poll something). */
    public static RetryBackoff fixed(Duration delay) {
        return new RetryBackoff(delay, 1.0, delay, 0);
    }

    /**
     * @param attempt the attempt that just failed, from 1
     * @param random  uniform in [0, 1)
     */
    public Duration delay(int attempt, DoubleSupplier random) {
        double base = initial.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
        double capped = Math.min(base, max.toMillis());
        double spread = capped * jitter * (2 * random.getAsDouble() - 1);
        return Duration.ofMillis(Math.max(0, Math.round(capped + spread)));
    }
}
