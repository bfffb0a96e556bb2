package dev.steadfast.jdbc.internal.unit;

import dev.steadfast.jdbc.internal.pool.TrackedSession;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Makes sure a broken connection's server session is gone before its work is judged or replayed: a
 * session the client lost may still be running (a blackholed network, a COMMIT still waiting for a
 * lock) and would otherwise commit after we looked, or hold locks the replay needs. Kill it and wait
 * until it has left the process list. Only within the same server incarnation: after a restart the
 * old session is gone, and its id may now belong to somebody else.
 */
final class SessionFence {
    private static final long POLL_MILLIS = 20;

    private SessionFence() {
    }

    /**
     * @return true when a session was killed, false when none needed to be
     */
    static boolean fence(Connection fresh, TrackedSession fresher, TrackedSession old, Deadline deadline)
            throws SQLException, InterruptedException {
        if (old == null || fresher == null || !old.incarnation().sameAs(fresher.incarnation())
                || old.connectionId() == fresher.connectionId()) {
            return false;
        }
        if (!present(fresh, old.connectionId())) {
            return false;
        }
        try (Statement s = fresh.createStatement()) {
            s.execute("KILL CONNECTION " + old.connectionId());
        } catch (SQLException e) {
            if (e.getErrorCode() != 1094) { // unknown thread: it ended on its own meanwhile
                throw e;
            }
        }
        while (present(fresh, old.connectionId())) {
            if (deadline.passed()) {
                throw new SQLException("old session " + old.connectionId() + " is still on the server after KILL", "HY000");
            }
            Thread.sleep(POLL_MILLIS);
        }
        return true;
    }

    private static boolean present(Connection connection, long id) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT 1 FROM information_schema.PROCESSLIST WHERE ID = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }
}
