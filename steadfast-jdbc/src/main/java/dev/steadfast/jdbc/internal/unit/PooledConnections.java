package dev.steadfast.jdbc.internal.unit;

import com.zaxxer.hikari.HikariDataSource;
import dev.steadfast.jdbc.internal.classify.FailureKind;
import dev.steadfast.jdbc.internal.metrics.ResilienceCounters;
import dev.steadfast.jdbc.internal.pool.SessionRegistry;
import dev.steadfast.jdbc.internal.pool.TrackedSession;
import dev.steadfast.jdbc.internal.pool.TrackingDataSource;
import dev.steadfast.jdbc.internal.pool.WriterSelector;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Borrows from HikariCP with the local liveness check: a pooled connection whose socket the server has
 * closed is evicted and another taken, before any statement can fail on it.
 */
public final class PooledConnections {
    private final HikariDataSource pool;
    private final TrackingDataSource source;
    private final SessionRegistry registry;
    private final ResilienceCounters metrics;
    private final boolean livenessCheck;
    private final long checkAfterIdleNanos;

    /**
     * @param checkAfterIdle connections given back more recently than this are not checked: under load
     *                       the check would cost system calls on every borrow for a risk that a replay
     *                       covers anyway
     */
    public PooledConnections(
            HikariDataSource pool,
            TrackingDataSource source,
            SessionRegistry registry,
            ResilienceCounters metrics,
            boolean livenessCheck,
            Duration checkAfterIdle) {
        this.pool = pool;
        this.source = source;
        this.registry = registry;
        this.metrics = metrics;
        this.livenessCheck = livenessCheck;
        this.checkAfterIdleNanos = checkAfterIdle.toNanos();
    }

    /** A connection believed alive, with its session. */
    public Borrowed borrow() throws SQLException {
        int maxEvictions = pool.getMaximumPoolSize() + 1;
        for (int evicted = 0; ; evicted++) {
            Connection connection = pool.getConnection();
            TrackedSession session;
            try {
                session = registry.lookup(connection);
            } catch (SQLException | RuntimeException e) {
                connection.close();
                throw e;
            }
            if (!livenessCheck
                    || session == null
                    || evicted >= maxEvictions
                    || !session.idleFor(checkAfterIdleNanos, System.nanoTime())
                    || session.looksAlive()) {
                return new Borrowed(connection, session);
            }
            metrics.livenessEviction();
            evict(connection);
        }
    }

    /** Removes a broken connection from the pool for good. */
    public void evict(Connection connection) {
        pool.evictConnection(connection);
    }

    /**
     * Removes a connection the failure broke; when the failure says its server refuses work (a Galera node not ready,
     * read-only after a failover), with several servers the writes go to another from now on.
     */
    public void discard(Borrowed borrowed, FailureKind kind) {
        evict(borrowed.connection());
        WriterSelector writer = source.writer();
        if (kind.serverRefuses() && writer != null && borrowed.session() != null) {
            writer.failed(borrowed.session().host());
        }
    }

    /**
     * A new connection, outside the pool, to the server another session was on (to fence that session there). It is
     * the caller's to close; it may reach another server when the address now leads elsewhere.
     */
    public WriterSelector.Opened openToServerOf(TrackedSession session) throws SQLException {
        return source.open(session.host());
    }

    /** A pooled connection and what we know of its server session (null when unknown). */
    public record Borrowed(Connection connection, TrackedSession session) implements AutoCloseable {
        /** Gives the connection back to the pool. */
        @Override
        public void close() throws SQLException {
            if (session != null) {
                session.released(System.nanoTime());
            }
            connection.close();
        }
    }
}
