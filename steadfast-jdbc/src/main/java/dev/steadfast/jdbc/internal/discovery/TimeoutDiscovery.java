package dev.steadfast.jdbc.internal.discovery;

import dev.steadfast.jdbc.ServerFlavour;
import dev.steadfast.jdbc.ServerTimeouts;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** Reads the server's timeouts, packet limit, version and flavour over one connection. */
public final class TimeoutDiscovery {
    private TimeoutDiscovery() {}

    /**
     * Reads from a connection opened exactly like the pool's, so that the session values include
     * whatever the URL changes (an interactive client, session variables).
     */
    public static ServerTimeouts discover(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT @@global.wait_timeout, @@session.wait_timeout,"
                        + " @@global.interactive_timeout, @@session.net_read_timeout, @@session.net_write_timeout,"
                        + " @@global.max_allowed_packet, VERSION()")) {
            rs.next();
            String version = rs.getString(7);
            return new ServerTimeouts(
                    Duration.ofSeconds(rs.getLong(1)),
                    Duration.ofSeconds(rs.getLong(2)),
                    Duration.ofSeconds(rs.getLong(3)),
                    Duration.ofSeconds(rs.getLong(4)),
                    Duration.ofSeconds(rs.getLong(5)),
                    rs.getLong(6),
                    version,
                    ServerFlavour.fromVersion(version));
        }
    }
}
