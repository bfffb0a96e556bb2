package dev.steadfast.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {
    private final RetryBackoff backoff = new RetryBackoff(Duration.ofSeconds(5), 2.0, Duration.ofMinutes(1), 0.2);

    @Test
    void growsExponentiallyUpToTheCap() {
        assertThat(backoff.delay(1, () -> 0.5)).isEqualTo(Duration.ofSeconds(5));
        assertThat(backoff.delay(2, () -> 0.5)).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.delay(4, () -> 0.5)).isEqualTo(Duration.ofSeconds(40));
        assertThat(backoff.delay(5, () -> 0.5)).isEqualTo(Duration.ofMinutes(1));
        assertThat(backoff.delay(50, () -> 0.5)).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void jitterSpreadsEitherWay() {
        assertThat(backoff.delay(2, () -> 0.0)).isEqualTo(Duration.ofSeconds(8));
        assertThat(backoff.delay(2, () -> 0.999999)).isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void exponentialDoublesWithTwentyPercentJitter() {
        RetryBackoff exponential = RetryBackoff.exponential(Duration.ofSeconds(10), Duration.ofHours(1));
        assertThat(exponential.delay(3, () -> 0.5)).isEqualTo(Duration.ofSeconds(40));
        assertThat(exponential.delay(3, () -> 0.0)).isEqualTo(Duration.ofSeconds(32));
        assertThat(exponential.delay(30, () -> 0.5)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void fixedHasNoJitter() {
        RetryBackoff fixed = RetryBackoff.fixed(Duration.ofMillis(300));
        assertThat(fixed.delay(1, () -> 0.9)).isEqualTo(Duration.ofMillis(300));
        assertThat(fixed.delay(9, () -> 0.1)).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void nonsenseIsRejected() {
        assertThatThrownBy(() -> new RetryBackoff(Duration.ofSeconds(5), 0.5, Duration.ofMinutes(1), 0.2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryBackoff(Duration.ofSeconds(5), 2, Duration.ofSeconds(1), 0.2))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
