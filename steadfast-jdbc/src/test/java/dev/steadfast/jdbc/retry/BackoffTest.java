package dev.steadfast.jdbc.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.jdbc.RetryPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final RetryPolicy policy =
            new RetryPolicy(Duration.ofSeconds(30), 10, Duration.ofMillis(100), Duration.ofSeconds(1));

    @Test
    void pauseDoublesUpToTheCapWithHalfOfItRandom() {
        Backoff lowest = new Backoff(policy::backoffCeiling, bound -> 0);
        Backoff highest = new Backoff(policy::backoffCeiling, bound -> bound - 1);
        Duration far = Duration.ofMinutes(1);
        assertThat(lowest.pause(1, far)).isEqualTo(Duration.ofMillis(50));
        assertThat(highest.pause(1, far)).isEqualTo(Duration.ofMillis(99));
        assertThat(lowest.pause(2, far)).isEqualTo(Duration.ofMillis(100));
        assertThat(lowest.pause(3, far)).isEqualTo(Duration.ofMillis(200));
        assertThat(lowest.pause(5, far)).isEqualTo(Duration.ofMillis(500)); // 1600 capped at 1000
        assertThat(highest.pause(40, far)).isEqualTo(Duration.ofMillis(999));
    }

    @Test
    void pauseNeverRunsPastWhatIsLeft() {
        Backoff highest = new Backoff(policy::backoffCeiling, bound -> bound - 1);
        assertThat(highest.pause(10, Duration.ofMillis(30))).isEqualTo(Duration.ofMillis(30));
        assertThat(highest.pause(1, Duration.ZERO)).isZero();
    }

    @Test
    void exponentialDoublesFromItsStartToItsCapWithJitter() {
        Backoff backoff = Backoff.exponential(Duration.ofMillis(250), Duration.ofSeconds(5));
        for (int attempt = 1; attempt <= 40; attempt++) {
            long ceiling = Math.min(5000, 250L << Math.min(attempt - 1, 30));
            Duration pause = backoff.pause(attempt);
            assertThat(pause.toMillis()).as("attempt " + attempt).isBetween(ceiling / 2, ceiling);
        }
    }
}
