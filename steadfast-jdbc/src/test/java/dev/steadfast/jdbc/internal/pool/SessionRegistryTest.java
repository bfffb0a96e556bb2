package dev.steadfast.jdbc.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import dev.steadfast.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The registry finds each connection's session and forgets connections once they are closed. */
class SessionRegistryTest {
    private final TestDatabase server = MariaDbServer.shared();

    @ParameterizedTest
    @EnumSource(JdbcDriver.class)
    void closedConnectionsAreForgottenWhenTheNextOneRegisters(JdbcDriver driver) throws SQLException {
        SessionRegistry registry = new SessionRegistry();
        try (Connection a = open(driver);
                Connection b = open(driver);
                Connection c = open(driver)) {
            TrackedSession sa = new TrackedSession(1, null, null);
            TrackedSession sb = new TrackedSession(2, null, null);
            registry.register(a, sa);
            registry.register(b, sb);
            assertThat(registry.lookup(a)).isSameAs(sa);
            assertThat(registry.lookup(b)).isSameAs(sb);
            a.close();
            TrackedSession sc = new TrackedSession(3, null, null);
            registry.register(c, sc);
            assertThat(registry.size()).as("a is gone, b and c remain").isEqualTo(2);
            assertThat(registry.lookup(c)).isSameAs(sc);
            assertThat(registry.lookup(b)).isSameAs(sb);
        }
    }

    private Connection open(JdbcDriver driver) throws SQLException {
        return DriverManager.getConnection(server.url(driver), server.user(), server.password());
    }
}
