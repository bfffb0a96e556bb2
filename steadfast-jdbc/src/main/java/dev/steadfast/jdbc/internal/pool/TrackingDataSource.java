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
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The data source HikariCP creates physical connections from. Each new connection is tagged with its
 * session id, server incarnation, socket channel and the server's role: one extra round trip per physical
 * connection, none per use. With several servers ({@link HostList#chooseWriter()}) each connection goes to the
 * one writer the {@link WriterSelector} chooses.
 */
public final class TrackingDataSource implements DataSource {
    private final HostList hosts;
    private final WriterSelector writer;
    private final Properties properties;
    private final SessionRegistry registry;
    private volatile Driver driver;
    private volatile int loginTimeoutSeconds = 10;

    public TrackingDataSource(HostList hosts, Properties properties, SessionRegistry registry) {
        this.hosts = hosts;
        this.writer = hosts.chooseWriter() ? new WriterSelector(hosts) : null;
        this.properties = properties;
        this.registry = registry;
    }

    /** The writer's chooser when the URL names several servers; null for one. */
    public WriterSelector writer() {
        return writer;
    }

    public HostList hosts() {
        return hosts;
    }

    @Override
    public Connection getConnection() throws SQLException {
        WriterSelector.Opened opened = writer == null ? open(0) : writer.open(this::open);
        try {
            registry.register(opened.connection(), opened.session());
            return opened.connection();
        } catch (RuntimeException e) {
            opened.connection().close();
            throw e;
        }
    }

    /**
     * A new connection to the {@code host}th server, identified but not pooled: for a failback probe, and for
     * fencing a session left on another server. The caller closes it.
     */
    public WriterSelector.Opened open(int host) throws SQLException {
        String url = hosts.urls().get(host);
        SocketCapture.begin();
        Connection connection = driver(url).connect(url, properties);
        SocketChannel channel = SocketCapture.end();
        if (connection == null) {
            throw new SQLException("no driver accepts " + url, "08001");
        }
        try {
            return new WriterSelector.Opened(connection, identify(connection, channel, host));
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private static TrackedSession identify(Connection connection, SocketChannel channel, int hostIndex)
            throws SQLException {
        try (Statement statement = connection.createStatement()) {
            long id;
            String host;
            int port;
            long now;
            boolean readOnly;
            try (ResultSet rs = statement.executeQuery(
                    "SELECT CONNECTION_ID(), @@hostname, @@port, UNIX_TIMESTAMP(), @@global.read_only")) {
                rs.next();
                id = rs.getLong(1);
                host = rs.getString(2);
                port = rs.getInt(3);
                now = rs.getLong(4);
                readOnly = rs.getInt(5) != 0;
            }
            long uptime = 0;
            boolean tls = false;
            Map<String, String> wsrep = new HashMap<>();
            // status variables a server without Galera does not have are simply not returned: no extra round trip
            try (ResultSet rs = statement.executeQuery("SHOW SESSION STATUS WHERE Variable_name IN ('Uptime', "
                    + "'Ssl_cipher', 'wsrep_ready', 'wsrep_cluster_status', 'wsrep_local_state', "
                    + "'wsrep_local_state_comment', 'wsrep_gcomm_uuid')")) {
                while (rs.next()) {
                    String name = rs.getString(1).toLowerCase(Locale.ROOT);
                    if (name.equals("uptime")) {
                        uptime = Long.parseLong(rs.getString(2));
                    } else if (name.equals("ssl_cipher")) {
                        tls = rs.getString(2) != null && !rs.getString(2).isEmpty();
                    } else {
                        wsrep.put(name, rs.getString(2));
                    }
                }
            }
            // A TLS stream may carry records the client has not read yet (session tickets): a local
            // read would take them for a dead connection, so such sockets are not checked locally.
            return new TrackedSession(
                    id,
                    new ServerIncarnation(host, port, now - uptime),
                    tls ? null : channel,
                    hostIndex,
                    facts(readOnly, wsrep));
        }
    }

    private static NodeFacts facts(boolean readOnly, Map<String, String> wsrep) {
        String ready = wsrep.get("wsrep_ready");
        String uuid = wsrep.get("wsrep_gcomm_uuid");
        if (uuid == null || uuid.isEmpty()) {
            // no Galera provider loaded: a server built with wsrep but running without it reports wsrep_ready=OFF
            // and a "Disconnected" cluster status, yet takes writes as any other
            return new NodeFacts(readOnly, false, true, null, null);
        }
        String status = wsrep.get("wsrep_cluster_status");
        boolean usable = "ON".equalsIgnoreCase(ready)
                && "Primary".equalsIgnoreCase(status)
                && "4".equals(wsrep.get("wsrep_local_state"));
        return new NodeFacts(readOnly, true, usable, uuid, status + ", " + wsrep.get("wsrep_local_state_comment"));
    }

    private Driver driver(String url) throws SQLException {
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
