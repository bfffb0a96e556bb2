package dev.steadfast.jdbc.internal.unit;

import com.zaxxer.hikari.HikariDataSource;
import dev.steadfast.jdbc.internal.metrics.ResilienceCounters;
import dev.steadfast.jdbc.internal.pool.SessionRegistry;
import dev.steadfast.jdbc.internal.pool.TrackedSession;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Borrows from HikariCP with the local liveness check: a pooled connection whose socket the server has
 * closed is evicted and another taken, before any statement can fail on it.
 */
public final class PooledConnections {
    private final HikariDataSource pool;
    private final SessionRegistry registry;
    private final ResilienceCounters metrics;
    private final boolean livenessCheck;
    private final long checkAfterIdleNanos;

    /**
     * @param checkAfterIdle connections given back more recently than this are not checked: under load
     *                       the check would cost system calls on every borrow for a risk that a replay
     *                       covers anyway
     */
    public PooledConnections(HikariDataSource pool, SessionRegistry registry, ResilienceCounters metrics,
                             boolean livenessCheck, Duration checkAfterIdle) {
        this.pool = pool;
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
            if (!livenessCheck || session == null || evicted >= maxEvictions
                    || !session.idleFor(checkAfterIdleNanos, System.nanoTime()) || session.looksAlive()) {
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
