package dev.steadfast.jdbc.internal.unit;

import dev.steadfast.jdbc.internal.pool.TrackedSession;
import dev.steadfast.jdbc.internal.pool.WriterSelector;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure a broken connection's server session is gone before its work is judged or replayed: a
 * session the client lost may still be running (a blackholed network, a COMMIT still waiting for a
 * lock) and would otherwise commit after we looked, or hold locks the replay needs. Kill it and wait
 * until it has left the process list. Only within the same server incarnation: after a restart the
 * old session is gone, and its id may now belong to somebody else.
 *
 * <p>When the fresh connection is on another server than the old session (a cluster node died, a failover moved the
 * writer), {@link #fenceAcrossServers} proves the old session gone there before a COMMIT's outcome is judged: killed
 * on its own server if that still answers, or, on Galera, its node evicted from the cluster view of the node we read
 * on (a node outside the primary component commits nothing, and what it replicated before is delivered to every
 * member before the view changes).
 */
final class SessionFence {
    private static final Logger LOG = LoggerFactory.getLogger(SessionFence.class);
    private static final long POLL_MILLIS = 20;

    private SessionFence() {}

    /**
     * Fences the old session when it is on the fresh connection's server (a replay needs no more: a transaction
     * that never sent its COMMIT commits nowhere, and a Galera node holds no locks for the others).
     *
     * @return true when a session was killed, false when none needed to be
     */
    static boolean fence(Connection fresh, TrackedSession fresher, TrackedSession old, Deadline deadline)
            throws SQLException, InterruptedException {
        if (old == null
                || fresher == null
                || !old.incarnation().sameAs(fresher.incarnation())
                || old.connectionId() == fresher.connectionId()) {
            return false;
        }
        return kill(fresh, old.connectionId(), deadline);
    }

    /**
     * Before a COMMIT's outcome is read: proves the old session can no longer commit, wherever it was.
     *
     * @return true when a session was killed
     * @throws SQLException when that cannot be proven yet (the old node still in the cluster view) or a statement
     *                      failed; the caller tries again until its deadline
     */
    static boolean fenceAcrossServers(
            PooledConnections connections, PooledConnections.Borrowed fresh, TrackedSession old, Deadline deadline)
            throws SQLException, InterruptedException {
        TrackedSession fresher = fresh.session();
        if (old == null || fresher == null || old.incarnation().sameServer(fresher.incarnation())) {
            return fence(fresh.connection(), fresher, old, deadline); // same server: killed here, or gone by a restart
        }
        WriterSelector.Opened direct;
        try {
            direct = connections.openToServerOf(old);
        } catch (SQLException unreachable) {
            direct = null;
        }
        if (direct != null) {
            try (Connection there = direct.connection()) {
                if (direct.session().incarnation().sameAs(old.incarnation())) {
                    return kill(there, old.connectionId(), deadline);
                }
                if (direct.session().incarnation().sameServer(old.incarnation())) {
                    return false; // that server restarted since: the session died with it
                }
            }
        }
        if (fresher.facts().galera()) {
            awaitEvicted(fresh.connection(), old, deadline);
            return false;
        }
        // Asynchronous replication: the old primary does not answer. Its session can only have committed there, and
        // what it committed but never shipped is outside what the new primary can see; the outcome is read here, on
        // the server the work goes on with (see docs/high-availability.md).
        LOG.warn(
                "the server of a session cut during COMMIT ({}:{}) does not answer; resolving the outcome on {}:{} as "
                        + "its replication saw it",
                old.incarnation().host(),
                old.incarnation().port(),
                fresher.incarnation().host(),
                fresher.incarnation().port());
        return false;
    }

    /** Waits until the old session's Galera node is no longer a member of the fresh node's (primary) view. */
    private static void awaitEvicted(Connection fresh, TrackedSession old, Deadline deadline)
            throws SQLException, InterruptedException {
        String uuid = old.facts().gcommUuid();
        if (uuid == null) {
            throw new SQLException(
                    "the old session's Galera node id is unknown, so its eviction cannot be checked", "HY000");
        }
        while (member(fresh, uuid)) {
            if (deadline.passed()) {
                throw new SQLException(
                        "Galera node " + uuid + " of a session cut during COMMIT is still in the "
                                + "cluster view and does not answer",
                        "HY000");
            }
            Thread.sleep(100);
        }
    }

    private static boolean member(Connection connection, String gcommUuid) throws SQLException {
        try {
            return anyRow(connection, "SELECT 1 FROM mysql.wsrep_cluster_members WHERE node_uuid = ?", gcommUuid);
        } catch (SQLException e) {
            if (e.getErrorCode() == 1142 || e.getErrorCode() == 1044) {
                throw new SQLException(
                        "cannot read the Galera cluster view to resolve a COMMIT cut on a node that "
                                + "died: GRANT SELECT ON mysql.wsrep_cluster_members to the application's user",
                        "42000",
                        e);
            }
            throw e;
        }
    }

    private static boolean kill(Connection connection, long id, Deadline deadline)
            throws SQLException, InterruptedException {
        if (!present(connection, id)) {
            return false;
        }
        try (Statement s = connection.createStatement()) {
            s.execute("KILL CONNECTION " + id);
        } catch (SQLException e) {
            if (e.getErrorCode() != 1094) { // unknown thread: it ended on its own meanwhile
                throw e;
            }
        }
        while (present(connection, id)) {
            if (deadline.passed()) {
                throw new SQLException("old session " + id + " is still on the server after KILL", "HY000");
            }
            Thread.sleep(POLL_MILLIS);
        }
        return true;
    }

    private static boolean present(Connection connection, long id) throws SQLException {
        return anyRow(connection, "SELECT 1 FROM information_schema.PROCESSLIST WHERE ID = ?", id);
    }

    private static boolean anyRow(Connection connection, String sql, Object parameter) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setObject(1, parameter);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }
}
