package dev.steadfast.jdbc.internal.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.jdbc.text.HumanDuration;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Durations and failures in messages as people write them, never Java's PT0S or an exception's class name. */
class MessageTextTest {
    @Test
    void durationsReadAsWritten() {
        assertThat(HumanDuration.of(Duration.ZERO)).isEqualTo("0 ms");
        assertThat(HumanDuration.of(Duration.ofMillis(202))).isEqualTo("202 ms");
        assertThat(HumanDuration.of(Duration.ofSeconds(5))).isEqualTo("5 s");
        assertThat(HumanDuration.of(Duration.ofMillis(5002))).isEqualTo("5.0 s");
        assertThat(HumanDuration.of(Duration.ofMillis(1500))).isEqualTo("1.5 s");
        assertThat(HumanDuration.of(Duration.ofSeconds(150))).isEqualTo("2 min 30 s");
        assertThat(HumanDuration.of(Duration.ofHours(2))).isEqualTo("2 h");
        assertThat(HumanDuration.of(Duration.ofDays(3).plusHours(4))).isEqualTo("3 days 4 h");
        assertThat(HumanDuration.of(Duration.ofSeconds(-1))).isEqualTo("-1 s");
    }

    @Test
    void aFailureIsItsShortCause() {
        assertThat(FailureText.of(new SQLTransientConnectionException(
                        "HikariPool-1 - Connection is not available, request timed out after 5002ms.")))
                .isEqualTo("Connection is not available, request timed out after 5.0 s.");
        assertThat(FailureText.of(new SQLTransactionRollbackException(
                        "(conn=17) Deadlock found when trying to get lock; try restarting transaction", "40001", 1213)))
                .isEqualTo("Deadlock found when trying to get lock; try restarting transaction (error 1213)");
        assertThat(FailureText.of(new SQLTransientConnectionException("x".repeat(500))))
                .hasSize(163);
        assertThat(FailureText.of(new SQLTransientConnectionException(
                        "Socket error: java.net.SocketException: Connection reset")))
                .isEqualTo("Socket error: Connection reset");
    }
}
