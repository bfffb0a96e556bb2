package dev.steadfast.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Small query helpers for tests. */
final class Sql {
    private Sql() {
    }

    static long connectionId(Connection connection) throws SQLException {
        return queryLong(connection, "SELECT CONNECTION_ID()");
    }

    static long queryLong(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static double counter(ResilientDatabase db, String name, String tag, String value) {
        var counter = db.meterRegistry().find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

    static double counter(ResilientDatabase db, String name) {
        return db.meterRegistry().find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
