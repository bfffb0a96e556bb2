package dev.steadfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.steadfast.testkit.FaultProxy;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import dev.steadfast.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * "No extra round trip on the hot path", counted rather than timed: the fault proxy counts the
 * commands each client sends for the same work through plain HikariCP and through Steadfast.
 */
class RoundTripTest {
    private static final int OPS = 200;
    private static final TestDatabase SERVER = MariaDbServer.shared();

    @BeforeAll
    static void table() throws SQLException {
        SERVER.execute(
                "CREATE TABLE IF NOT EXISTS rt (id INT PRIMARY KEY, v BIGINT NOT NULL)",
                "INSERT IGNORE INTO rt VALUES (1, 0)");
    }

    @ParameterizedTest
    @MethodSource("dev.steadfast.jdbc.Databases#drivers")
    void steadfastSendsNoMoreCommandsThanPlainHikari(JdbcDriver driver) throws Exception {
        long plainReads;
        long plainWrites;
        try (FaultProxy proxy = FaultProxy.inFrontOf(SERVER);
                HikariDataSource plain = plain(driver, proxy)) {
            warm(plain);
            long before = proxy.commandsSent();
            for (int i = 0; i < OPS; i++) {
                try (Connection c = plain.getConnection()) {
                    select(c);
                }
            }
            plainReads = proxy.commandsSent() - before;
            before = proxy.commandsSent();
            for (int i = 0; i < OPS; i++) {
                try (Connection c = plain.getConnection()) {
                    c.setAutoCommit(false);
                    update(c);
                    c.commit();
                }
            }
            plainWrites = proxy.commandsSent() - before;
        }
        System.err.printf(
                "%s: plain HikariCP sends %.2f commands per read, %.2f per write transaction%n",
                driver, plainReads / (double) OPS, plainWrites / (double) OPS);
        try (FaultProxy proxy = FaultProxy.inFrontOf(SERVER);
                ResilientDatabase db = Databases.builder(SERVER.urlVia(driver, proxy.port()), SERVER)
                        .hikari(c -> c.setMaximumPoolSize(1))
                        .build()) {
            db.read(RoundTripTest::select);
            long before = proxy.commandsSent();
            for (int i = 0; i < OPS; i++) {
                db.read(RoundTripTest::select);
            }
            assertThat(proxy.commandsSent() - before).as("reads").isEqualTo(plainReads);

            before = proxy.commandsSent();
            for (int i = 0; i < OPS; i++) {
                db.transaction(c -> false, RoundTripTest::update);
            }
            // START TRANSACTION where plain JDBC switches autocommit off and back on: one command fewer
            assertThat(proxy.commandsSent() - before)
                    .as("transactions with an outcome probe")
                    .isEqualTo(plainWrites - OPS);

            long markers = markers(db);
            before = proxy.commandsSent();
            for (int i = 0; i < OPS; i++) {
                db.transaction(RoundTripTest::update);
            }
            // on MariaDB the statement that starts the transaction writes the marker too
            assertThat(proxy.commandsSent() - before)
                    .as("transactions with a commit marker")
                    .isEqualTo(plainWrites - OPS);
            assertThat(markers(db) - markers).as("markers written").isEqualTo(OPS);
        }
    }

    private static long markers(ResilientDatabase db) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM sf_tx_outcome");
                    ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static HikariDataSource plain(JdbcDriver driver, FaultProxy proxy) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(SERVER.urlVia(driver, proxy.port()));
        config.setUsername(SERVER.user());
        config.setPassword(SERVER.password());
        config.setMaximumPoolSize(1);
        return new HikariDataSource(config);
    }

    private static void warm(HikariDataSource plain) throws SQLException {
        try (Connection c = plain.getConnection()) {
            select(c);
        }
    }

    private static long select(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT v FROM rt WHERE id = ?")) {
            s.setInt(1, 1);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static int update(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE rt SET v = v + 1 WHERE id = ?")) {
            s.setInt(1, 1);
            return s.executeUpdate();
        }
    }
}
