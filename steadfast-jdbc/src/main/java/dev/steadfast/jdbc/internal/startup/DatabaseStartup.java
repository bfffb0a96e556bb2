package dev.steadfast.jdbc.internal.startup;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.steadfast.jdbc.PoolSettings;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.jdbc.ServerTimeouts;
import dev.steadfast.jdbc.internal.classify.FailureClassifier;
import dev.steadfast.jdbc.internal.discovery.PoolTuning;
import dev.steadfast.jdbc.internal.discovery.TimeoutDiscovery;
import dev.steadfast.jdbc.internal.guard.PacketGuard;
import dev.steadfast.jdbc.internal.metrics.ResilienceCounters;
import dev.steadfast.jdbc.internal.metrics.ResilienceMeters;
import dev.steadfast.jdbc.internal.pool.DriverKind;
import dev.steadfast.jdbc.internal.pool.HostList;
import dev.steadfast.jdbc.internal.pool.SessionRegistry;
import dev.steadfast.jdbc.internal.pool.TrackingDataSource;
import dev.steadfast.jdbc.internal.pool.WriterFailback;
import dev.steadfast.jdbc.internal.unit.CommitMarkers;
import dev.steadfast.jdbc.internal.unit.MarkerJanitor;
import dev.steadfast.jdbc.internal.unit.PooledConnections;
import dev.steadfast.jdbc.internal.unit.UnitRunner;
import dev.steadfast.jdbc.retry.StartupRetry;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a {@code ResilientDatabase} from its settings: reads the server's timeouts over one connection (creating the
 * commit-marker table), tunes HikariCP's pool below them and starts it, all tried again as one step while the server
 * is lost (as long as {@code waitForDatabase} allows), then wires the healing layer (connections, units of work, the
 * marker janitor, the writer's failback, the counters and their meters).
 */
public final class DatabaseStartup {
    /** Under the facade's name: the command quiets that logger for its one-shot commands ({@code ShortCommandLogging}). */
    private static final Logger LOG = LoggerFactory.getLogger(ResilientDatabase.class);
    /** How often a database writing through a later server of its list checks whether an earlier one is back. */
    private static final Duration FAILBACK_CHECK = Duration.ofSeconds(5);

    private final DatabaseSettings settings;

    public DatabaseStartup(DatabaseSettings settings) {
        this.settings = settings;
    }

    /**
     * Connects, discovers the server's timeouts, tunes and starts the pool. The pool opens its connections in the
     * background: a connection lost once the server's settings are read is the units of work's to heal.
     *
     * @throws SQLException when the server cannot be reached or refuses the credentials
     */
    public StartedDatabase start() throws SQLException {
        DriverKind driver = DriverKind.of(settings.jdbcUrl());
        MeterRegistry registry = settings.meterRegistry() != null
                ? settings.meterRegistry()
                : micrometerPresent() ? ResilienceMeters.defaultRegistry() : null;
        SessionRegistry sessions = new SessionRegistry();
        TrackingDataSource tracking =
                new TrackingDataSource(HostList.parse(settings.jdbcUrl()), driverProperties(driver), sessions);

        // one step, tried again as a whole: a cut while HikariCP opens its first connection leaves that pool unusable
        // a server that does not answer is waited for as long as asked; a connection lost once made, like a unit's
        Duration wait = settings.waitForDatabase();
        Started started = new StartupRetry(
                        "starting", wait, max(wait, settings.retryPolicy().deadline()), settings.clock())
                .run(() -> startPool(tracking));
        ServerTimeouts timeouts = started.timeouts();
        PoolSettings tuned = started.tuned();
        HikariDataSource pool = started.pool();

        ResilienceCounters metrics = new ResilienceCounters(settings.clock());
        if (registry != null) {
            ResilienceMeters.bind(metrics, registry);
        }
        PooledConnections connections = new PooledConnections(
                pool, tracking, sessions, metrics, settings.livenessCheck(), settings.livenessCheckAfterIdle());
        WriterFailback failback = tracking.writer() == null
                ? null
                : WriterFailback.start(
                        tracking,
                        () -> pool.getHikariPoolMXBean().softEvictConnections(),
                        metrics::writerMoved,
                        FAILBACK_CHECK);
        UnitRunner runner = new UnitRunner(
                connections,
                new FailureClassifier(),
                new PacketGuard(timeouts.maxAllowedPacket()),
                metrics,
                settings.retryPolicy(),
                settings.clock(),
                settings.commitMarkers(),
                timeouts.supportsCompoundStatements());
        Duration retention = settings.markerRetention();
        MarkerJanitor janitor = settings.commitMarkers()
                ? new MarkerJanitor(runner, retention, min(retention.dividedBy(4), Duration.ofMinutes(5)))
                : null;
        LOG.info(
                "steadfast database ready: {} {} wait_timeout={}s (session {}s) max_allowed_packet={} -> "
                        + "maxLifetime={}ms keepaliveTime={}ms",
                timeouts.flavour(),
                timeouts.version(),
                timeouts.globalWaitTimeout().toSeconds(),
                timeouts.sessionWaitTimeout().toSeconds(),
                timeouts.maxAllowedPacket(),
                tuned.maxLifetime().toMillis(),
                tuned.keepaliveTime().toMillis());
        return new StartedDatabase(
                pool,
                tracking,
                connections,
                runner,
                timeouts,
                tuned,
                janitor,
                failback,
                registry,
                metrics,
                settings.startupPatience());
    }

    /** What one attempt made: the server's settings, the pool's timings, the pool. */
    private record Started(ServerTimeouts timeouts, PoolSettings tuned, HikariDataSource pool) {}

    /** Reads the server's settings over one connection (creating the marker table), then starts the pool below them. */
    private Started startPool(TrackingDataSource tracking) throws SQLException {
        ServerTimeouts timeouts;
        int isolation;
        try (Connection probe = tracking.getConnection()) {
            timeouts = TimeoutDiscovery.discover(probe);
            isolation = probe.getTransactionIsolation();
            if (settings.commitMarkers() && settings.createMarkerTable()) {
                CommitMarkers.createTable(probe);
            } else if (settings.commitMarkers()) {
                CommitMarkers.requireTable(probe);
            }
        }
        HikariConfig config = new HikariConfig();
        settings.hikari().accept(config);
        PoolSettings tuned = tune(config, timeouts);
        config.setDataSource(tracking);
        config.setJdbcUrl(null);
        if (config.getPoolName() == null) {
            config.setPoolName("steadfast");
        }
        if (config.getTransactionIsolation() == null) {
            // the server's own default, as HikariCP would learn it from its first connection; but when that
            // connection is cut while HikariCP reads it, HikariCP goes on with "-1" and every connection fails
            config.setTransactionIsolation(isolationName(isolation));
        }
        // HikariCP opens and checks a first connection here; one cut then throws PoolInitializationException
        return new Started(timeouts, tuned, new HikariDataSource(config));
    }

    private Properties driverProperties(DriverKind driver) {
        Properties properties = new Properties();
        if (settings.username() != null) {
            properties.setProperty("user", settings.username());
        }
        if (settings.password() != null) {
            properties.setProperty("password", settings.password());
        }
        setUnlessInUrl(
                properties,
                "connectTimeout",
                Long.toString(settings.connectTimeout().toMillis()));
        setUnlessInUrl(
                properties,
                "socketTimeout",
                Long.toString(settings.socketTimeout().toMillis()));
        if (settings.livenessCheck()) {
            setUnlessInUrl(properties, "socketFactory", driver.socketFactoryClass());
        }
        return properties;
    }

    private void setUnlessInUrl(Properties properties, String key, String value) {
        if (!DriverKind.urlSets(settings.jdbcUrl(), key)) {
            properties.setProperty(key, value);
        }
    }

    private static PoolSettings tune(HikariConfig config, ServerTimeouts timeouts) {
        HikariConfig defaults = new HikariConfig();
        boolean[] explicit = {
            config.getMaxLifetime() != defaults.getMaxLifetime(),
            config.getKeepaliveTime() != defaults.getKeepaliveTime(),
            config.getIdleTimeout() != defaults.getIdleTimeout()
        };
        PoolTuning.Result result = PoolTuning.tune(
                timeouts.sessionWaitTimeout(),
                new PoolSettings(
                        Duration.ofMillis(config.getMaxLifetime()),
                        Duration.ofMillis(config.getKeepaliveTime()),
                        Duration.ofMillis(config.getIdleTimeout())),
                explicit);
        result.warnings().forEach(w -> LOG.warn("pool tuning: {}", w));
        result.notes().forEach(n -> LOG.info("pool tuning: {}", n));
        config.setMaxLifetime(result.settings().maxLifetime().toMillis());
        config.setKeepaliveTime(result.settings().keepaliveTime().toMillis());
        config.setIdleTimeout(result.settings().idleTimeout().toMillis());
        if (config.getConnectionTimeout() == defaults.getConnectionTimeout()) {
            // Waiting 30 s for a pooled connection would eat the whole retry deadline in one attempt.
            config.setConnectionTimeout(Duration.ofSeconds(5).toMillis());
        }
        return result.settings();
    }

    private static boolean micrometerPresent() {
        try {
            Class.forName("io.micrometer.core.instrument.MeterRegistry", false, DatabaseStartup.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static String isolationName(int level) {
        return switch (level) {
            case Connection.TRANSACTION_READ_UNCOMMITTED -> "TRANSACTION_READ_UNCOMMITTED";
            case Connection.TRANSACTION_READ_COMMITTED -> "TRANSACTION_READ_COMMITTED";
            case Connection.TRANSACTION_SERIALIZABLE -> "TRANSACTION_SERIALIZABLE";
            case Connection.TRANSACTION_NONE -> "TRANSACTION_NONE";
            default -> "TRANSACTION_REPEATABLE_READ";
        };
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
