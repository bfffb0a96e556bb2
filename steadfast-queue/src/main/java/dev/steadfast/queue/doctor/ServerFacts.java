package dev.steadfast.queue.doctor;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the server says about itself: {@code SHOW GLOBAL VARIABLES} and {@code SHOW SESSION VARIABLES}
 * for the settings that decide whether connections and jobs survive (the incident's first fix was to
 * look at these), plus clock facts.
 *
 * @param global        global values by name
 * @param session       values of a session opened like the worker's
 * @param clockSkewMs   database clock minus this machine's clock, in milliseconds
 * @param utcOffsetSecs the session's offset from UTC in seconds
 */
public record ServerFacts(
        Map<String, String> global, Map<String, String> session, long clockSkewMs, long utcOffsetSecs) {
    static final String NAMES = "'wait_timeout','interactive_timeout','net_read_timeout','net_write_timeout',"
            + "'max_allowed_packet','innodb_lock_wait_timeout','lock_wait_timeout','time_zone','system_time_zone',"
            + "'version','version_comment','max_connections','connect_timeout'";

    static ServerFacts read(Connection c) throws SQLException {
        Map<String, String> global = variables(c, "GLOBAL");
        Map<String, String> session = variables(c, "SESSION");
        long before = System.currentTimeMillis();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), NOW()),"
                        + " ROUND(UNIX_TIMESTAMP(NOW(3)) * 1000)")) {
            rs.next();
            long after = System.currentTimeMillis();
            return new ServerFacts(global, session, rs.getLong(2) - (before + after) / 2, rs.getLong(1));
        }
    }

    private static Map<String, String> variables(Connection c, String scope) throws SQLException {
        Map<String, String> values = new TreeMap<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW " + scope + " VARIABLES WHERE Variable_name IN (" + NAMES + ")")) {
            while (rs.next()) {
                values.put(rs.getString(1), rs.getString(2));
            }
        }
        return values;
    }

    long sessionLong(String name) {
        return Long.parseLong(session.getOrDefault(name, global.getOrDefault(name, "0")));
    }

    long globalLong(String name) {
        return Long.parseLong(global.getOrDefault(name, "0"));
    }
}
