package dev.steadfast.jdbc.internal.pool;

import dev.steadfast.jdbc.internal.liveness.SocketCapture;

import java.io.PrintWriter;
import java.nio.channels.SocketChannel;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The data source HikariCP creates physical connections from. Each new connection is tagged with its
 * session id, server incarnation and socket channel: one extra round trip per physical connection,
 * none per use.
 */
public final class TrackingDataSource implements DataSource {
    private final String url;
    private final Properties properties;
    private final SessionRegistry registry;
    private volatile Driver driver;
    private volatile int loginTimeoutSeconds = 10;

    public TrackingDataSource(String url, Properties properties, SessionRegistry registry) {
        this.url = url;
        this.properties = properties;
        this.registry = registry;
    }

    @Override
    public Connection getConnection() throws SQLException {
        SocketCapture.begin();
        Connection connection = driver().connect(url, properties);
        if (connection == null) {
            throw new SQLException("no driver accepts " + url, "08001");
        }
        SocketChannel channel = SocketCapture.end();
        try {
            registry.register(connection, identify(connection, channel));
            return connection;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private static TrackedSession identify(Connection connection, SocketChannel channel) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            long id;
            String host;
            int port;
            long now;
            try (ResultSet rs = statement.executeQuery("SELECT CONNECTION_ID(), @@hostname, @@port, UNIX_TIMESTAMP()")) {
                rs.next();
                id = rs.getLong(1);
                host = rs.getString(2);
                port = rs.getInt(3);
                now = rs.getLong(4);
            }
            long uptime = 0;
            boolean tls = false;
            try (ResultSet rs = statement.executeQuery("SHOW SESSION STATUS WHERE Variable_name IN ('Uptime', 'Ssl_cipher')")) {
                while (rs.next()) {
                    if ("Uptime".equalsIgnoreCase(rs.getString(1))) {
                        uptime = Long.parseLong(rs.getString(2));
                    } else {
                        tls = rs.getString(2) != null && !rs.getString(2).isEmpty();
                    }
                }
            }
            // A TLS stream may carry records the client has not read yet (session tickets): a local
            // read would take them for a dead connection, so such sockets are not checked locally.
            return new TrackedSession(id, new ServerIncarnation(host, port, now - uptime), tls ? null : channel);
        }
    }

    private Driver driver() throws SQLException {
        Driver d = driver;
        if (d == null) {
            d = DriverManager.getDriver(url);
            driver = d;
        }
        return d;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("credentials are fixed when the database is built");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // not used: logging goes through SLF4J
    }

    /** HikariCP sets this and also waits this long for connection creation when it shuts down. */
    @Override
    public void setLoginTimeout(int seconds) {
        loginTimeoutSeconds = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper for " + iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
