package dev.steadfast.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** A server a scenario can run against: a private MariaDB of the testkit, or one the machine provides. */
public interface TestDatabase {

    /** A URL for the given driver pointing at this database's schema. */
    String url(JdbcDriver driver, String... parameters);

    /** A URL for the given driver that reaches this database through a port on loopback (a proxy). */
    String urlVia(JdbcDriver driver, int port, String... parameters);

    String user();

    String password();

    /** The database server's port on loopback, for a proxy to forward to. */
    int port();

    String host();

    /** Whether this harness may stop, SIGKILL and restart the server. */
    boolean canRestart();

    /** A fresh connection with all privileges, for test setup and fault injection. */
    default Connection admin() throws SQLException {
        return DriverManager.getConnection(url(JdbcDriver.MARIADB), user(), password());
    }

    /** {@code KILL CONNECTION id}; returns false when no such connection existed any more. */
    default boolean killConnection(long id) throws SQLException {
        try (Connection c = admin();
                Statement s = c.createStatement()) {
            s.execute("KILL CONNECTION " + id);
            return true;
        } catch (SQLException e) {
            if (e.getErrorCode() == 1094) { // unknown thread id
                return false;
            }
            throw e;
        }
    }

    /** Ids of the client connections of the test user other than the caller's own admin connection. */
    default List<Long> connectionIds() throws SQLException {
        try (Connection c = admin();
                PreparedStatement s = c.prepareStatement("SELECT ID FROM information_schema.PROCESSLIST"
                        + " WHERE USER = ? AND ID <> CONNECTION_ID() AND COMMAND <> 'Killed'")) {
            s.setString(1, user());
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        }
    }

    /**
     * Whether the server still holds connection {@code id}, killed or not: a KILLed connection leaves the process list
     * once the server has closed its socket, so tests await its absence rather than sleep after a KILL.
     */
    default boolean hasConnection(long id) throws SQLException {
        return queryLong("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = " + id) > 0;
    }

    /** Runs statements as the admin user. */
    default void execute(String... sql) throws SQLException {
        try (Connection c = admin();
                Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        }
    }

    /** The first column of the first row of a query, as a long. */
    default long queryLong(String sql) throws SQLException {
        try (Connection c = admin();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            if (!rs.next()) {
                throw new SQLException("no row from " + sql);
            }
            return rs.getLong(1);
        }
    }

    /** Stops the server cleanly. */
    default void stop() {
        throw new UnsupportedOperationException("this database cannot be stopped by the harness");
    }

    /** SIGKILLs the server process. */
    default void kill() {
        throw new UnsupportedOperationException("this database cannot be killed by the harness");
    }

    /** Starts a stopped or killed server again on the same port and data. */
    default void start() {
        throw new UnsupportedOperationException("this database cannot be started by the harness");
    }
}
