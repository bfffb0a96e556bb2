package dev.steadfast.jdbc.internal.unit;

import dev.steadfast.jdbc.RetryPolicy;

import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * Pauses between attempts: exponential with "equal jitter" (half the ceiling fixed, half random), so
 * that many clients healing at once spread out but none retries immediately in a tight loop.
 */
final class Backoff {
    private final RetryPolicy policy;
    private final LongUnaryOperator random; // bound -> value in [0, bound)

    Backoff(RetryPolicy policy, LongUnaryOperator random) {
        this.policy = policy;
        this.random = random;
    }

    /** The pause after the given failed attempt (from 1), never past the deadline. */
    Duration pause(int attempt, Deadline deadline) {
        long ceiling = policy.backoffCeiling(attempt).toMillis();
        long half = ceiling / 2;
        long millis = half + (ceiling - half > 0 ? random.applyAsLong(ceiling - half) : 0);
        Duration pause = Duration.ofMillis(millis);
        Duration left = deadline.remaining();
        return pause.compareTo(left) > 0 ? left : pause;
    }

    void sleep(int attempt, Deadline deadline) throws InterruptedException {
        Duration pause = pause(attempt, deadline);
        if (!pause.isZero()) {
            Thread.sleep(pause.toMillis());
        }
    }
}
