package dev.steadfast.jdbc.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;
import java.util.function.LongUnaryOperator;

/**
 * Pauses between attempts, the one way Steadfast waits before trying again (units of work, the command's
 * first connection, migrations, a worker's claims during an outage): exponential up to a ceiling, with
 * "equal jitter" (half the ceiling fixed, half random), so that many clients healing at once spread out but
 * none retries in a tight loop.
 */
public final class Backoff {
    private final IntFunction<Duration> ceiling;
    private final LongUnaryOperator random; // bound -> value in [0, bound)

    /** @param ceiling the most to wait after the given failed attempt (from 1) */
    public Backoff(IntFunction<Duration> ceiling, LongUnaryOperator random) {
        this.ceiling = ceiling;
        this.random = random;
    }

    /** {@code initial} after the first failure, doubling after each further one up to {@code max}. */
    public static Backoff exponential(Duration initial, Duration max) {
        return new Backoff(
                attempt -> {
                    long millis = initial.toMillis() << Math.min(Math.max(0, attempt - 1), 30);
                    return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
                },
                bound -> ThreadLocalRandom.current().nextLong(bound));
    }

    /** The pause after the given failed attempt (from 1). */
    public Duration pause(int attempt) {
        long ceilingMillis = ceiling.apply(attempt).toMillis();
        long half = ceilingMillis / 2;
        return Duration.ofMillis(half + (ceilingMillis - half > 0 ? random.applyAsLong(ceilingMillis - half) : 0));
    }

    /** The pause after the given failed attempt, never longer than {@code left}. */
    public Duration pause(int attempt, Duration left) {
        Duration pause = pause(attempt);
        return pause.compareTo(left) > 0 ? left : pause;
    }

    /** Sleeps the pause after the given failed attempt, never longer than {@code left}. */
    public void sleep(int attempt, Duration left) throws InterruptedException {
        Duration pause = pause(attempt, left);
        if (!pause.isZero() && !pause.isNegative()) {
            Thread.sleep(pause.toMillis());
        }
    }
}
