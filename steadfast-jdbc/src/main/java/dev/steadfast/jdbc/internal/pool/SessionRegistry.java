package dev.steadfast.jdbc.internal.pool;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Maps physical connections to what we know of their sessions. Weak keys: an entry goes with its
 * connection, however the pool disposes of it.
 */
public final class SessionRegistry {
    private final Map<Connection, TrackedSession> sessions = Collections.synchronizedMap(new WeakHashMap<>());

    void register(Connection physical, TrackedSession session) {
        sessions.put(physical, session);
    }

    /** The session behind a pooled (proxy) connection, or null when it was not created by us. */
    public TrackedSession lookup(Connection pooled) throws SQLException {
        return sessions.get(pooled.unwrap(Connection.class));
    }
}
