package dev.steadfast.jdbc.internal.pool;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps physical connections to what we know of their sessions. Every borrow looks its connection up, so the map is
 * a {@link ConcurrentHashMap} (no lock shared by all borrowing threads); entries of connections the pool has closed
 * are dropped whenever a new connection registers, which is when the pool replaces one, so the map stays the size
 * of the pool.
 */
public final class SessionRegistry {
    private final Map<Connection, TrackedSession> sessions = new ConcurrentHashMap<>();

    void register(Connection physical, TrackedSession session) {
        sessions.keySet().removeIf(SessionRegistry::closed);
        sessions.put(physical, session);
    }

    /** The session behind a pooled (proxy) connection, or null when it was not created by us. */
    public TrackedSession lookup(Connection pooled) throws SQLException {
        return sessions.get(pooled.unwrap(Connection.class));
    }

    /** Sessions known now (connections open, or closed since the last registration). */
    int size() {
        return sessions.size();
    }

    private static boolean closed(Connection connection) {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return true; // a connection that cannot say is no use to look up
        }
    }
}
