package dev.steadfast.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.steadfast.jdbc.internal.classify.FailureClassifier;
import dev.steadfast.jdbc.internal.metrics.ResilienceCounters;
import dev.steadfast.jdbc.internal.pool.HostList;
import dev.steadfast.jdbc.internal.pool.TrackingDataSource;
import dev.steadfast.jdbc.internal.pool.WriterFailback;
import dev.steadfast.jdbc.internal.startup.DatabaseSettings;
import dev.steadfast.jdbc.internal.startup.DatabaseStartup;
import dev.steadfast.jdbc.internal.startup.StartedDatabase;
import dev.steadfast.jdbc.internal.unit.MarkerJanitor;
import dev.steadfast.jdbc.internal.unit.PooledConnections;
import dev.steadfast.jdbc.internal.unit.UnitRunner;
import dev.steadfast.jdbc.text.HumanDuration;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import javax.sql.DataSource;

/**
 * A MySQL/MariaDB database whose units of work survive lost connections.
 *
 * <pre>{@code
 * ResilientDatabase db = ResilientDatabase.builder()
 *     .jdbcUrl("jdbc:mariadb://127.0.0.1:3306/app").username("app").password(secret)
 *     .build();
 * long id = db.transaction(tx -> insertOrder(tx, order));   // replayed when that is safe
 * int n = db.read(conn -> countOrders(conn));               // replayed on connection loss
 * }</pre>
 *
 * Building it discovers the server's timeouts and tunes the HikariCP pool below them. A unit of work
 * that loses its connection (idle timeout, KILL, restart, failover, network) is run again on a fresh
 * connection; a transaction whose COMMIT was interrupted is first resolved through a marker row written
 * in the same transaction, and replayed only when proven rolled back.
 */
public final class ResilientDatabase implements AutoCloseable {
    private final HikariDataSource pool;
    private final TrackingDataSource tracking;
    private final PooledConnections connections;
    private final UnitRunner runner;
    private final ServerTimeouts serverTimeouts;
    private final PoolSettings poolSettings;
    private final MarkerJanitor janitor;
    private final WriterFailback failback;
    private final MeterRegistry meterRegistry;
    private final ResilienceCounters metrics;
    private final Duration startupPatience;

    private ResilientDatabase(StartedDatabase started) {
        this.pool = started.pool();
        this.tracking = started.tracking();
        this.connections = started.connections();
        this.runner = started.runner();
        this.serverTimeouts = started.serverTimeouts();
        this.poolSettings = started.poolSettings();
        this.janitor = started.janitor();
        this.failback = started.failback();
        this.meterRegistry = started.meterRegistry();
        this.metrics = started.metrics();
        this.startupPatience = started.startupPatience();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The SLF4J MDC key naming the unit of work running on this thread ("claim", "outcome of job 42"): put a name
     * there around a call and the lines about it (a heal after a lost connection, a replay) say which work it was.
     */
    public static final String OPERATION = "steadfast.operation";

    /**
     * Whether a failure means the connection was lost (idle timeout, KILL, restart, network), as the units of
     * work classify it with either driver: the kind of failure worth waiting out and trying again.
     */
    public static boolean isConnectionFailure(SQLException failure) {
        return new FailureClassifier().classify(failure).connectionBroken();
    }

    /**
     * Runs the work in one transaction and commits it. On a lost connection the whole work runs again
     * on a fresh connection, so its writes are applied exactly once.
     *
     * @throws CommitOutcomeUnknownException when a COMMIT was cut off and its outcome cannot be proven
     * @throws DatabaseUnavailableException  when the database stayed unreachable past the retry deadline
     * @throws SQLException                  any other error of the work, after rolling back
     */
    public <T> T transaction(UnitOfWork<T> work) throws SQLException {
        return runner.transaction(work, null);
    }

    /**
     * Like {@link #transaction(UnitOfWork)}, but an interrupted COMMIT is resolved by the caller's probe
     * instead of a marker row, which saves the marker's write on every transaction.
     */
    public <T> T transaction(OutcomeProbe probe, UnitOfWork<T> work) throws SQLException {
        return runner.transaction(work, Objects.requireNonNull(probe, "probe"));
    }

    /**
     * Runs work in autocommit mode and runs it again on a lost connection: for reads, and for writes
     * that are harmless to repeat.
     */
    public <T> T read(UnitOfWork<T> work) throws SQLException {
        return runner.read(work);
    }

    /** What the server said about its timeouts, packet limit and version. */
    public ServerTimeouts serverTimeouts() {
        return serverTimeouts;
    }

    /**
     * How long the steps that follow the build before work begins (a queue's schema check and migration) keep trying
     * through a lost connection or server: {@link Builder#waitForDatabase} when set, otherwise the retry policy's
     * deadline, as for any unit of work.
     */
    public Duration startupPatience() {
        return startupPatience;
    }

    /** The pool timings chosen from the server's timeouts. */
    public PoolSettings poolSettings() {
        return poolSettings;
    }

    /**
     * The pool, for code that cannot use units of work. Borrowing still skips dead connections, but
     * nothing is replayed for such code.
     */
    public DataSource dataSource() {
        return new CheckedDataSource(pool, connections);
    }

    /** The servers the URL names and which one this database writes through now. */
    public Servers servers() {
        HostList hosts = tracking.hosts();
        List<String> addresses =
                IntStream.range(0, hosts.size()).mapToObj(hosts::address).toList();
        return new Servers(
                addresses,
                hosts.chooseWriter(),
                tracking.writer() == null ? 0 : tracking.writer().current());
    }

    /**
     * A new connection to one server of {@link #servers()}, outside the pool and without any healing: for diagnostics
     * that must look at each server (its role, its replication), not for work. The caller closes it.
     */
    public Connection connectDirectly(int server) throws SQLException {
        return tracking.open(server).connection();
    }

    /** Where the meters are registered; null when Micrometer is not on the class path and none was given. */
    public MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    /** Connection losses, heals, evictions and failures of this database's units so far. */
    public ConnectionHealth connectionHealth() {
        return metrics.snapshot();
    }

    /** The healing layer's counters in detail: losses by kind, replays, commit resolutions, heal times. */
    public HealingStats healingStats() {
        return metrics.stats();
    }

    /** Deletes expired commit markers now (normally done in the background); returns how many. */
    public int purgeCommitMarkers() {
        return janitor == null ? 0 : janitor.sweep();
    }

    @Override
    public void close() {
        if (janitor != null) {
            janitor.close();
        }
        if (failback != null) {
            failback.close();
        }
        pool.close();
    }

    /** Configures and builds a {@link ResilientDatabase}. */
    public static final class Builder {
        private String jdbcUrl;
        private String username;
        private String password;
        private Consumer<HikariConfig> hikari = config -> {};
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private MeterRegistry meterRegistry;
        private Clock clock = Clock.systemUTC();
        private Duration socketTimeout = Duration.ofMinutes(5);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private boolean commitMarkers = true;
        private boolean createMarkerTable = true;
        private Duration waitForDatabase = Duration.ZERO;
        private boolean livenessCheck = true;
        private Duration livenessCheckAfterIdle = Duration.ofMillis(10);
        private Duration markerRetention = Duration.ofHours(1);

        private Builder() {}

        /** {@code jdbc:mariadb://...} or {@code jdbc:mysql://...}. */
        public Builder jdbcUrl(String url) {
            this.jdbcUrl = url;
            return this;
        }

        public Builder username(String user) {
            this.username = user;
            return this;
        }

        public Builder password(String secret) {
            this.password = secret;
            return this;
        }

        /** Adjusts the HikariCP configuration (pool size, name, ...). Timings are checked against the server. */
        public Builder hikari(Consumer<HikariConfig> customizer) {
            this.hikari = Objects.requireNonNull(customizer);
            return this;
        }

        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy);
            return this;
        }

        /**
         * Where to register meters; by default a private {@code SimpleMeterRegistry} when Micrometer is on the
         * class path, and none when it is not (steadfast-jdbc needs Micrometer only for its meters).
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /**
         * How long a statement may wait for the server before the connection counts as lost (a silent
         * network). Default 5 minutes; must exceed the longest statement you run. A {@code socketTimeout}
         * in the URL wins.
         */
        public Builder socketTimeout(Duration timeout) {
            this.socketTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** TCP connect timeout for new connections (default 10 s); a {@code connectTimeout} in the URL wins. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /**
         * Whether transactions write a marker row so that an interrupted COMMIT can be resolved (default
         * true). Without markers such a commit raises {@link CommitOutcomeUnknownException}.
         */
        public Builder commitMarkers(boolean enabled) {
            this.commitMarkers = enabled;
            return this;
        }

        /**
         * Whether {@link #build()} creates the commit-marker table {@code sf_tx_outcome} when it is missing (default
         * true). Turn it off where the database user may not run DDL and the schema is managed elsewhere (the
         * {@code steadfast migrate} command creates it).
         */
        public Builder createMarkerTable(boolean enabled) {
            this.createMarkerTable = enabled;
            return this;
        }

        /** Whether borrowing checks the socket locally for a connection the server closed (default true). */
        public Builder livenessCheck(boolean enabled) {
            this.livenessCheck = enabled;
            return this;
        }

        /**
         * Connections idle in the pool for less than this are handed out unchecked (default 10 ms): under
         * load the check is skipped, and a connection killed in that instant is healed by a replay.
         */
        public Builder livenessCheckAfterIdle(Duration idle) {
            this.livenessCheckAfterIdle = Objects.requireNonNull(idle);
            return this;
        }

        /**
         * How long {@link #build()} waits for a server that cannot be reached yet or is lost while it starts (a database
         * container still starting, a failover in progress), trying again with backoff; default zero: fail at once
         * (a connection cut once made, while reading the server's settings or starting the pool, is still waited out as
         * a unit of work's: up to the retry policy's deadline). When set, it is also the
         * {@link ResilientDatabase#startupPatience()} of the steps after the build. A refused password or a missing
         * database fails at once whatever this is: waiting cannot help.
         */
        public Builder waitForDatabase(Duration patience) {
            if (Objects.requireNonNull(patience).isNegative()) {
                throw new IllegalArgumentException(
                        "waitForDatabase must not be negative, got " + HumanDuration.of(patience));
            }
            this.waitForDatabase = patience;
            return this;
        }

        /** How long commit markers are kept (default 1 hour). */
        public Builder markerRetention(Duration retention) {
            this.markerRetention = Objects.requireNonNull(retention);
            return this;
        }

        /**
         * Connects, discovers the server's timeouts, tunes and starts the pool. The pool opens its connections in
         * the background: a connection lost once the server's settings are read is the units of work's to heal.
         *
         * @throws SQLException when the server cannot be reached or refuses the credentials
         */
        public ResilientDatabase build() throws SQLException {
            return new ResilientDatabase(new DatabaseStartup(settings()).start());
        }

        /** What was set, as one immutable value: the start reads only this. */
        private DatabaseSettings settings() {
            return new DatabaseSettings(
                    jdbcUrl,
                    username,
                    password,
                    hikari,
                    retryPolicy,
                    meterRegistry,
                    clock,
                    socketTimeout,
                    connectTimeout,
                    commitMarkers,
                    createMarkerTable,
                    waitForDatabase,
                    livenessCheck,
                    livenessCheckAfterIdle,
                    markerRetention);
        }
    }
}
