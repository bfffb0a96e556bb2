package dev.steadfast.queue.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.queue.RetryBackoff;
import dev.steadfast.queue.internal.store.ClaimedJob;
import dev.steadfast.queue.internal.store.JobFailure;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Where a failed attempt leads: another attempt after the backoff, or the failed-job log after the last. */
class OutcomeTest {
    private final JobFailure boom = JobFailure.of("java.lang.IllegalStateException", "boom");
    private final RetryBackoff backoff = new RetryBackoff(Duration.ofSeconds(5), 2.0, Duration.ofMinutes(1), 0.0);

    private static ClaimedJob attempt(int attempt, int maxAttempts) {
        return new ClaimedJob(7, "q", "t", "{}", attempt, maxAttempts, 42);
    }

    @Test
    void attemptsLeftMeanARetryAfterTheBackoff() {
        Outcome first = Outcome.afterFailure(attempt(1, 3), boom, backoff, () -> 0.5);
        assertThat(first.kind()).isEqualTo(Outcome.Kind.RETRY);
        assertThat(first.delay()).isEqualTo(backoff.delay(1, () -> 0.5)).isPositive();
        assertThat(first.failure()).isEqualTo(boom);
        Outcome second = Outcome.afterFailure(attempt(2, 3), boom, backoff, () -> 0.5);
        assertThat(second.kind()).isEqualTo(Outcome.Kind.RETRY);
        assertThat(second.delay()).as("backs off further").isGreaterThan(first.delay());
    }

    @Test
    void theLastAttemptEndsInTheFailedJobLog() {
        Outcome last = Outcome.afterFailure(attempt(3, 3), boom, backoff, () -> 0.5);
        assertThat(last.kind()).isEqualTo(Outcome.Kind.FAILED);
        assertThat(last.delay()).isZero();
        assertThat(last.failure()).isEqualTo(boom);
        assertThat(Outcome.afterFailure(attempt(1, 1), boom, backoff, () -> 0.5).kind())
                .as("a single attempt allowed")
                .isEqualTo(Outcome.Kind.FAILED);
        assertThat(Outcome.afterFailure(attempt(4, 3), boom, backoff, () -> 0.5).kind())
                .as("an attempt past the maximum (a lowered limit) fails too")
                .isEqualTo(Outcome.Kind.FAILED);
    }
}
