package dev.steadfast.jdbc.internal.unit;

import dev.steadfast.jdbc.RetryPolicy;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(30), 10, Duration.ofMillis(100), Duration.ofSeconds(1));

    @Test
    void pauseDoublesUpToTheCapWithHalfOfItRandom() {
        Backoff lowest = new Backoff(policy, bound -> 0);
        Backoff highest = new Backoff(policy, bound -> bound - 1);
        Deadline far = Deadline.after(clock, Duration.ofMinutes(1));
        assertThat(lowest.pause(1, far)).isEqualTo(Duration.ofMillis(50));
        assertThat(highest.pause(1, far)).isEqualTo(Duration.ofMillis(99));
        assertThat(lowest.pause(2, far)).isEqualTo(Duration.ofMillis(100));
        assertThat(lowest.pause(3, far)).isEqualTo(Duration.ofMillis(200));
        assertThat(lowest.pause(5, far)).isEqualTo(Duration.ofMillis(500)); // 1600 capped at 1000
        assertThat(highest.pause(40, far)).isEqualTo(Duration.ofMillis(999));
    }

    @Test
    void pauseNeverRunsPastTheDeadline() {
        Backoff highest = new Backoff(policy, bound -> bound - 1);
        Deadline soon = Deadline.after(clock, Duration.ofMillis(30));
        assertThat(highest.pause(10, soon)).isEqualTo(Duration.ofMillis(30));
        Deadline gone = Deadline.after(clock, Duration.ZERO);
        assertThat(gone.passed()).isTrue();
        assertThat(highest.pause(1, gone)).isZero();
    }
}
