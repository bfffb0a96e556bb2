package dev.steadfast.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The server's own counters, for what a client costs it. */
final class ServerStatus {
    private ServerStatus() {}

    /** Statements the server has received from all clients ({@code Questions}). */
    static long questions(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Questions'")) {
            rs.next();
            return rs.getLong(2);
        }
    }
}
