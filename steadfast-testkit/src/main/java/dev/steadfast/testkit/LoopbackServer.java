package dev.steadfast.testkit;

import dev.steadfast.embedded.MariaDbInstallation;

/**
 * A server the testkit runs on loopback with the tests' database and user (as the embedded servers have them): a
 * private server or a cluster node. The harness may stop, SIGKILL and restart it.
 */
public abstract class LoopbackServer implements TestDatabase {

    @Override
    public String url(JdbcDriver driver, String... parameters) {
        return driver.url(host(), port(), MariaDbInstallation.DATABASE, parameters);
    }

    @Override
    public String urlVia(JdbcDriver driver, int port, String... parameters) {
        return driver.url(host(), port, MariaDbInstallation.DATABASE, parameters);
    }

    @Override
    public String user() {
        return MariaDbInstallation.USER;
    }

    @Override
    public String password() {
        return MariaDbInstallation.PASSWORD;
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public boolean canRestart() {
        return true;
    }
}
