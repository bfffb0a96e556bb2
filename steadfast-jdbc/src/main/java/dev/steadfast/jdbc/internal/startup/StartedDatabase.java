package dev.steadfast.jdbc.internal.startup;

import com.zaxxer.hikari.HikariDataSource;
import dev.steadfast.jdbc.PoolSettings;
import dev.steadfast.jdbc.ServerTimeouts;
import dev.steadfast.jdbc.internal.metrics.ResilienceCounters;
import dev.steadfast.jdbc.internal.pool.TrackingDataSource;
import dev.steadfast.jdbc.internal.pool.WriterFailback;
import dev.steadfast.jdbc.internal.unit.MarkerJanitor;
import dev.steadfast.jdbc.internal.unit.PooledConnections;
import dev.steadfast.jdbc.internal.unit.UnitRunner;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/**
 * What a start made, for the {@code ResilientDatabase} that owns it from then on. {@code janitor} is null without
 * commit markers, {@code failback} with a single server, {@code meterRegistry} without Micrometer.
 */
public record StartedDatabase(
        HikariDataSource pool,
        TrackingDataSource tracking,
        PooledConnections connections,
        UnitRunner runner,
        ServerTimeouts serverTimeouts,
        PoolSettings poolSettings,
        MarkerJanitor janitor,
        WriterFailback failback,
        MeterRegistry meterRegistry,
        ResilienceCounters metrics,
        Duration startupPatience) {}
