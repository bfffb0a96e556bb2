package dev.steadfast.jdbc.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLSyntaxErrorException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which failures of a start's step are waited out (the real servers' cases are in the queue's StartupHealingTest). */
class StartupRetryTest {
    private final StartupRetry patient = new StartupRetry(
            "testing",
            Duration.ofMinutes(10),
            Duration.ofMinutes(10),
            Clock.systemUTC(),
            new Backoff(a -> Duration.ZERO, b -> 0));

    @Test
    void aLostConnectionWrappedByALibraryIsTriedAgainUntilTheStepSucceeds() {
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger repairs = new AtomicInteger();
        String result = patient.run(
                () -> {
                    if (attempts.incrementAndGet() < 3) {
                        // as Flyway wraps it: "Unable to turn on auto-commit for the connection"
                        throw new IllegalStateException(
                                "Unable to turn on auto-commit for the connection",
                                new SQLNonTransientConnectionException("Connection is closed", "08003"));
                    }
                    return "done";
                },
                failure -> repairs.incrementAndGet());
        assertThat(result).isEqualTo("done");
        assertThat(attempts).hasValue(3);
        assertThat(repairs).as("something to do before each new attempt").hasValue(2);
    }

    @Test
    void aRealMistakeIsThrownAtOnce() {
        for (SQLException mistake : new SQLException[] {
            new SQLInvalidAuthorizationSpecException("Access denied for user 'x'", "28000", 1045),
            new SQLSyntaxErrorException("Unknown database 'nope'", "42000", 1049)
        }) {
            AtomicInteger attempts = new AtomicInteger();
            assertThatThrownBy(() -> patient.run(() -> {
                        attempts.incrementAndGet();
                        throw new IllegalStateException("wrapped", mistake);
                    }))
                    .hasCause(mistake);
            assertThat(attempts).as(mistake.getMessage()).hasValue(1);
        }
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> patient.run(() -> {
                    attempts.incrementAndGet();
                    throw new IllegalStateException("Validate failed: schema too new, no SQL failure at all");
                }))
                .hasMessageContaining("too new");
        assertThat(attempts).hasValue(1);
    }

    @Test
    void pastItsPatienceTheLastFailureIsThrown() {
        StartupRetry impatient = new StartupRetry("testing", Duration.ZERO);
        AtomicInteger attempts = new AtomicInteger();
        SQLException lost = new SQLNonTransientConnectionException("Connection refused", "08001");
        assertThatThrownBy(() -> impatient.run(() -> {
                    attempts.incrementAndGet();
                    throw lost;
                }))
                .isSameAs(lost);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aServerThatDoesNotAnswerHasAPatienceOfItsOwn() {
        StartupRetry buildLike = new StartupRetry(
                "testing",
                Duration.ZERO,
                Duration.ofMinutes(10),
                Clock.systemUTC(),
                new Backoff(a -> Duration.ZERO, b -> 0));
        AtomicInteger attempts = new AtomicInteger();
        SQLException refused = new SQLNonTransientConnectionException(
                "Could not connect", "08000", new ConnectException("Connection refused"));
        assertThatThrownBy(() -> buildLike.run(() -> {
                    if (attempts.incrementAndGet() < 3) {
                        throw new SQLNonTransientConnectionException("Connection reset", "08S01"); // a cut: waited out
                    }
                    throw refused; // then nothing answers: not waited for
                }))
                .isSameAs(refused);
        assertThat(attempts).hasValue(3);
    }

    @Test
    void thePatienceIsMeasuredOnTheGivenClock() {
        // a clock four minutes later at each reading: a patience of ten minutes allows the first two failures only
        Clock hurried = new Clock() {
            private Instant now = Instant.parse("2026-01-01T00:00:00Z");

            @Override
            public Instant instant() {
                Instant read = now;
                now = now.plus(Duration.ofMinutes(4));
                return read;
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }
        };
        StartupRetry retry = new StartupRetry(
                "testing",
                Duration.ofMinutes(10),
                Duration.ofMinutes(10),
                hurried,
                new Backoff(a -> Duration.ZERO, b -> 0));
        AtomicInteger attempts = new AtomicInteger();
        SQLException lost = new SQLNonTransientConnectionException("Connection reset", "08S01");
        assertThatThrownBy(() -> retry.run(() -> {
                    attempts.incrementAndGet();
                    throw lost;
                }))
                .isSameAs(lost);
        assertThat(attempts)
                .as("read at 0 (start), 4, 8 and 12 minutes: the third failure is past the patience")
                .hasValue(3);
    }
}
