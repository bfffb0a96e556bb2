package dev.steadfast.jdbc.internal.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.steadfast.embedded.PortAllocator;
import dev.steadfast.jdbc.PacketTooLargeException;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import dev.steadfast.testkit.TestDatabase;
import java.io.EOFException;
import java.net.SocketException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Classification of exceptions captured from real servers with both drivers, plus the codes that only
 * a MySQL server or a network we cannot break here produce, built with the code and state the drivers use.
 */
class FailureClassifierTest {
    private final FailureClassifier classifier = new FailureClassifier();
    private final TestDatabase server = MariaDbServer.shared();

    private Connection connect(JdbcDriver driver) throws SQLException {
        return DriverManager.getConnection(server.url(driver), server.user(), server.password());
    }

    private FailureKind classifyFailureOf(JdbcDriver driver, String sql) throws SQLException {
        try (Connection c = connect(driver);
                Statement s = c.createStatement()) {
            SQLException e = catchThrowableOfType(SQLException.class, () -> s.execute(sql));
            assertThat((Throwable) e).as("statement should fail: " + sql).isNotNull();
            return classifier.classify(e);
        }
    }

    @ParameterizedTest
    @EnumSource(JdbcDriver.class)
    void serverErrorsOnALiveConnectionAreNotConnectionProblems(JdbcDriver driver) throws SQLException {
        assertThat(classifyFailureOf(driver, "SELEC 1")).isEqualTo(FailureKind.NOT_CONNECTION);
        assertThat(classifyFailureOf(driver, "SELECT * FROM no_such_table")).isEqualTo(FailureKind.NOT_CONNECTION);
        server.execute(
                "CREATE TABLE IF NOT EXISTS classify_unique (id INT PRIMARY KEY)",
                "INSERT IGNORE INTO classify_unique VALUES (1)");
        assertThat(classifyFailureOf(driver, "INSERT INTO classify_unique VALUES (1)"))
                .isEqualTo(FailureKind.NOT_CONNECTION);
        assertThat(classifyFailureOf(driver, "SELECT 1 FROM DUAL WHERE 1 = (SELECT 1 UNION SELECT 2)"))
                .isEqualTo(FailureKind.NOT_CONNECTION);
    }

    @ParameterizedTest
    @EnumSource(JdbcDriver.class)
    void statementOnAnIdleConnectionKilledByTheServer(JdbcDriver driver) throws Exception {
        try (Connection c = connect(driver);
                Statement s = c.createStatement()) {
            long id = idOf(c);
            server.killConnection(id);
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> !server.hasConnection(id));
            SQLException e = catchThrowableOfType(SQLException.class, () -> s.executeQuery("SELECT 1"));
            assertThat(classifier.classify(e)).isEqualTo(FailureKind.LOST_MAYBE_EXECUTED);
            // and anything after that: the driver knows the connection is closed, nothing is sent
            SQLException after = catchThrowableOfType(
                    SQLException.class, () -> c.createStatement().executeQuery("SELECT 1"));
            // MySQL C/J says nothing was sent ("No operations allowed after connection closed"); MariaDB C/J's
            // "Connection is closed" does not say, so it is classified on the safe side
            assertThat(classifier.classify(after))
                    .isEqualTo(
                            driver == JdbcDriver.MYSQL
                                    ? FailureKind.LOST_BEFORE_SENT
                                    : FailureKind.LOST_MAYBE_EXECUTED);
        }
    }

    @ParameterizedTest
    @EnumSource(JdbcDriver.class)
    void statementKilledWhileRunning(JdbcDriver driver) throws Exception {
        try (Connection c = connect(driver);
                Statement s = c.createStatement()) {
            long id = idOf(c);
            CompletableFuture<Void> killer = CompletableFuture.runAsync(() -> {
                try {
                    await("the statement running")
                            .atMost(Duration.ofSeconds(10))
                            .pollInterval(Duration.ofMillis(20))
                            .until(() -> server.queryLong("SELECT COUNT(*) FROM information_schema.PROCESSLIST"
                                            + " WHERE ID = " + id + " AND INFO LIKE 'SELECT SLEEP%'")
                                    == 1);
                    server.killConnection(id);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            SQLException e = catchThrowableOfType(SQLException.class, () -> s.executeQuery("SELECT SLEEP(10)"));
            killer.get(10, TimeUnit.SECONDS);
            assertThat((Throwable) e).isNotNull();
            assertThat(classifier.classify(e)).isEqualTo(FailureKind.LOST_MAYBE_EXECUTED);
        }
    }

    @ParameterizedTest
    @EnumSource(JdbcDriver.class)
    void idleTimeoutOfTheSession(JdbcDriver driver) throws Exception {
        try (Connection c = connect(driver);
                Statement s = c.createStatement()) {
            s.execute("SET SESSION wait_timeout = 1");
            long id = idOf(c);
            await("the server closing the idle session")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> !server.hasConnection(id));
            SQLException e = catchThrowableOfType(SQLException.class, () -> s.executeQuery("SELECT 1"));
            assertThat(classifier.classify(e)).isEqualTo(FailureKind.LOST_MAYBE_EXECUTED);
        }
    }

    @ParameterizedTest
    @EnumSource(JdbcDriver.class)
    void nothingListeningIsLostBeforeSent(JdbcDriver driver) {
        String url = driver.url("127.0.0.1", PortAllocator.freePort(), "steadfast", "connectTimeout=2000");
        SQLException e = catchThrowableOfType(SQLException.class, () -> DriverManager.getConnection(url, "u", "p"));
        assertThat(classifier.classify(e)).isEqualTo(FailureKind.LOST_BEFORE_SENT);
    }

    @ParameterizedTest
    @EnumSource(JdbcDriver.class)
    void wrongPasswordIsNotAConnectionLossAndMustNotBeRetried(JdbcDriver driver) {
        SQLException e = catchThrowableOfType(
                SQLException.class, () -> DriverManager.getConnection(server.url(driver), server.user(), "wrong"));
        assertThat(e.getErrorCode()).isEqualTo(1045);
        assertThat(classifier.classify(e)).isEqualTo(FailureKind.NOT_CONNECTION);
    }

    @ParameterizedTest
    @EnumSource(JdbcDriver.class)
    void readOnlyTransactionWriteIsTheFailoverClass(JdbcDriver driver) throws SQLException {
        server.execute("CREATE TABLE IF NOT EXISTS classify_ro (id INT PRIMARY KEY)");
        try (Connection c = connect(driver);
                Statement s = c.createStatement()) {
            s.execute("START TRANSACTION READ ONLY");
            SQLException e =
                    catchThrowableOfType(SQLException.class, () -> s.execute("INSERT INTO classify_ro VALUES (1)"));
            assertThat(e.getErrorCode()).isEqualTo(1792);
            assertThat(classifier.classify(e)).isEqualTo(FailureKind.READ_ONLY_SERVER);
        }
    }

    @ParameterizedTest
    @EnumSource(JdbcDriver.class)
    void deadlockVictimIsRolledBack(JdbcDriver driver) throws Exception {
        server.execute(
                "CREATE TABLE IF NOT EXISTS classify_dl (id INT PRIMARY KEY, v INT)",
                "INSERT IGNORE INTO classify_dl VALUES (1, 0), (2, 0)");
        try (Connection a = connect(driver);
                Connection b = connect(driver)) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            a.createStatement().execute("UPDATE classify_dl SET v = v + 1 WHERE id = 1");
            b.createStatement().execute("UPDATE classify_dl SET v = v + 1 WHERE id = 2");
            long waiting = idOf(a);
            CompletableFuture<SQLException> first = CompletableFuture.supplyAsync(() -> catchThrowableOfType(
                    SQLException.class,
                    () -> a.createStatement().execute("UPDATE classify_dl SET v = v + 1 WHERE id = 2")));
            // (the process list, not INNODB_TRX: the latter's cache is not reliably filled on this server)
            await("the first update waiting for the second's lock")
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> server.queryLong("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = "
                                    + waiting + " AND STATE = 'Updating' AND INFO LIKE 'UPDATE classify_dl%'")
                            == 1);
            SQLException second = catchThrowableOfType(
                    SQLException.class,
                    () -> b.createStatement().execute("UPDATE classify_dl SET v = v + 1 WHERE id = 1"));
            SQLException victim = second != null ? second : first.get(10, TimeUnit.SECONDS);
            assertThat(victim.getErrorCode()).isEqualTo(1213);
            assertThat(classifier.classify(victim)).isEqualTo(FailureKind.TRANSACTION_ROLLED_BACK);
            a.rollback();
            b.rollback();
        }
    }

    @Test
    void codesOnlyMySqlServersOrBrokenNetworksProduce() {
        // MySQL 8.0.24+: the server closed an idle session and said so before the client's statement.
        assertThat(classifier.classify(new SQLException(
                        "The client was disconnected by the server because of inactivity.", "HY000", 4031)))
                .isEqualTo(FailureKind.LOST_BEFORE_SENT);
        assertThat(classifier.classify(new SQLException("MySQL server has gone away", "HY000", 2006)))
                .isEqualTo(FailureKind.LOST_MAYBE_EXECUTED);
        assertThat(classifier.classify(new SQLException("Lost connection to MySQL server during query", "HY000", 2013)))
                .isEqualTo(FailureKind.LOST_MAYBE_EXECUTED);
        assertThat(classifier.classify(new SQLException("Connection was killed", "70100", 1927)))
                .isEqualTo(FailureKind.LOST_MAYBE_EXECUTED);
        assertThat(classifier.classify(new SQLException("Server shutdown in progress", "08S01", 1053)))
                .isEqualTo(FailureKind.LOST_MAYBE_EXECUTED);
        assertThat(classifier.classify(new SQLException("--read-only", "HY000", 1290)))
                .isEqualTo(FailureKind.READ_ONLY_SERVER);
        assertThat(classifier.classify(new SQLException("read only mode", "HY000", 1836)))
                .isEqualTo(FailureKind.READ_ONLY_SERVER);
        assertThat(classifier.classify(
                        new SQLNonTransientConnectionException("Socket error", "08000", -1, new EOFException())))
                .isEqualTo(FailureKind.LOST_MAYBE_EXECUTED);
        assertThat(classifier.classify(new SQLException("wrapped", null, 0, new SocketException("Connection reset"))))
                .isEqualTo(FailureKind.LOST_MAYBE_EXECUTED);
        assertThat(classifier.classify(new SQLTransientConnectionException(
                        "steadfast - Connection is not available, request timed out after 5000ms.")))
                .isEqualTo(FailureKind.LOST_BEFORE_SENT);
        assertThat(classifier.classify(new SQLException("No operations allowed after connection closed.")))
                .as("message as the last resort")
                .isEqualTo(FailureKind.LOST_BEFORE_SENT);
        assertThat(classifier.classify(new PacketTooLargeException(20, 10))).isEqualTo(FailureKind.PACKET_TOO_LARGE);
        assertThat(classifier.classify(
                        new SQLException("Got a packet bigger than 'max_allowed_packet' bytes", "08S01", 1153)))
                .isEqualTo(FailureKind.PACKET_TOO_LARGE);
        assertThat(classifier.classify(new SQLException("Duplicate entry", "23000", 1062)))
                .isEqualTo(FailureKind.NOT_CONNECTION);
    }

    /**
     * Cluster signals as the servers word them (the Galera ones are also produced by a real cluster in
     * GaleraClusterTest; Group Replication and MySQL's super_read_only cannot run here).
     */
    @Test
    void clusterSignals() {
        assertThat(classifier.classify(
                        new SQLException("WSREP has not yet prepared node for application use", "08S01", 1047)))
                .isEqualTo(FailureKind.NODE_UNUSABLE);
        assertThat(classifier.classify(new SQLException(
                        "Error while appending streaming replication fragment(provider "
                                + "status: Not connected to Primary Component)",
                        "HY000",
                        1180)))
                .isEqualTo(FailureKind.NODE_UNUSABLE);
        assertThat(classifier.classify(new SQLException("Got error 5 \"Out of memory\" during COMMIT", "HY000", 1180)))
                .as("an engine's own error during COMMIT is not a node problem")
                .isEqualTo(FailureKind.NOT_CONNECTION);
        assertThat(classifier.classify(new SQLException("Deadlock: wsrep aborted transaction", "40001", 1213)))
                .as("a Galera certification conflict")
                .isEqualTo(FailureKind.TRANSACTION_ROLLED_BACK);
        assertThat(classifier.classify(new SQLException(
                        "Plugin instructed the server to rollback the current transaction.", "40000", 3101)))
                .as("Group Replication's certification conflict")
                .isEqualTo(FailureKind.TRANSACTION_ROLLED_BACK);
        assertThat(classifier.classify(new SQLException(
                        "The MySQL server is running with the --super-read-only option so it "
                                + "cannot execute this statement",
                        "HY000",
                        1290)))
                .isEqualTo(FailureKind.READ_ONLY_SERVER);
        assertThat(classifier.classify(new SQLTransientConnectionException(
                        "Driver has reconnect connection after a "
                                + "communications link failure with address=(host=n1)(port=3306). In progress transaction was lost",
                        "25S03")))
                .as("MariaDB Connector/J reconnected on its own: the transaction went with the old session")
                .isEqualTo(FailureKind.LOST_MAYBE_EXECUTED);
        assertThat(FailureKind.NODE_UNUSABLE.connectionBroken() && FailureKind.NODE_UNUSABLE.serverRefuses())
                .isTrue();
        assertThat(FailureKind.READ_ONLY_SERVER.serverRefuses()).isTrue();
        assertThat(FailureKind.LOST_MAYBE_EXECUTED.serverRefuses())
                .as("a KILLed session says nothing about its node")
                .isFalse();
    }

    private static long idOf(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT CONNECTION_ID()")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
