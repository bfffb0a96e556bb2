package dev.steadfast.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A server the machine provides: {@code STEADFAST_TEST_URL} (with {@code STEADFAST_TEST_USER} and
 * {@code STEADFAST_TEST_PASSWORD}), or a MariaDB answering on 127.0.0.1:3306. The harness may KILL
 * connections there but never stops or restarts it.
 */
public final class ExternalDatabase implements TestDatabase {
    private final String host;
    private final int port;
    private final String database;
    private final String user;
    private final String password;

    private ExternalDatabase(String host, int port, String database, String user, String password) {
        this.host = host;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
    }

    /** The configured or local server, when there is one that accepts the credentials. */
    public static Optional<ExternalDatabase> find() {
        String url = System.getenv("STEADFAST_TEST_URL");
        String user = Optional.ofNullable(System.getenv("STEADFAST_TEST_USER")).orElse("root");
        String password =
                Optional.ofNullable(System.getenv("STEADFAST_TEST_PASSWORD")).orElse("");
        ExternalDatabase candidate;
        if (url != null && !url.isBlank()) {
            URI uri = URI.create(url.substring("jdbc:".length()));
            String path = uri.getPath() == null || uri.getPath().length() <= 1 ? "/test" : uri.getPath();
            candidate = new ExternalDatabase(
                    uri.getHost(), uri.getPort() < 0 ? 3306 : uri.getPort(), path.substring(1), user, password);
        } else if (listening("127.0.0.1", 3306)) {
            candidate = new ExternalDatabase("127.0.0.1", 3306, "test", user, password);
        } else {
            return Optional.empty();
        }
        try (Connection ignored = DriverManager.getConnection(candidate.url(JdbcDriver.MARIADB), user, password)) {
            return Optional.of(candidate);
        } catch (SQLException e) {
            System.err.println("[testkit] external database at " + candidate.host + ":" + candidate.port + " not used: "
                    + e.getMessage());
            return Optional.empty();
        }
    }

    private static boolean listening(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String url(JdbcDriver driver, String... parameters) {
        return driver.url(host, port, database, parameters);
    }

    @Override
    public String urlVia(JdbcDriver driver, int proxyPort, String... parameters) {
        return driver.url("127.0.0.1", proxyPort, database, parameters);
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public String password() {
        return password;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public boolean canRestart() {
        return false;
    }

    @Override
    public String toString() {
        return "external " + host + ":" + port + "/" + database;
    }
}
