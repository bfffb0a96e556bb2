package dev.steadfast.jdbc.internal.startup;

import com.zaxxer.hikari.HikariConfig;
import dev.steadfast.jdbc.RetryPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * What {@code ResilientDatabase.Builder} collected, checked there; one start reads it. {@code meterRegistry} is null
 * for "the default"; {@code username} and {@code password} may be null (left to the URL). Never printed with its
 * password: {@link #toString()} masks it.
 */
public record DatabaseSettings(
        String jdbcUrl,
        String username,
        String password,
        Consumer<HikariConfig> hikari,
        RetryPolicy retryPolicy,
        MeterRegistry meterRegistry,
        Clock clock,
        Duration socketTimeout,
        Duration connectTimeout,
        boolean commitMarkers,
        boolean createMarkerTable,
        Duration waitForDatabase,
        boolean livenessCheck,
        Duration livenessCheckAfterIdle,
        Duration markerRetention) {

    /**
     * How long the steps after the build keep trying through a lost database: {@code waitForDatabase} when set,
     * otherwise the retry policy's deadline.
     */
    public Duration startupPatience() {
        return waitForDatabase.isZero() ? retryPolicy.deadline() : waitForDatabase;
    }

    @Override
    public String toString() {
        return "DatabaseSettings[jdbcUrl=" + jdbcUrl + ", username=" + username + ", password="
                + (password == null ? "none" : "***") + ", waitForDatabase=" + waitForDatabase + ", commitMarkers="
                + commitMarkers + ", livenessCheck=" + livenessCheck + "]";
    }
}
