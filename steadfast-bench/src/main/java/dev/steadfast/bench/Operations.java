package dev.steadfast.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The SQL every variant runs, so that only the connection handling differs. */
final class Operations {
    static final int ROWS = 1000;

    private Operations() {}

    static void createTable(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS bench");
            s.execute("CREATE TABLE bench (id BIGINT PRIMARY KEY, v BIGINT NOT NULL) ENGINE=InnoDB");
            s.execute("INSERT INTO bench SELECT seq, 0 FROM seq_1_to_" + ROWS);
        }
    }

    static long select(Connection c, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT v FROM bench WHERE id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static int update(Connection c, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE bench SET v = v + 1 WHERE id = ?")) {
            s.setLong(1, id);
            return s.executeUpdate();
        }
    }
}
