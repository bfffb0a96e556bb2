package dev.steadfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.steadfast.testkit.CommitCut;
import dev.steadfast.testkit.FaultProxy;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import dev.steadfast.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What units of work do besides healing: errors, probes, markers, deadlocks, bad configuration. */
class UnitOfWorkBehaviourTest {
    private final TestDatabase server = MariaDbServer.shared();

    @ParameterizedTest
    @EnumSource(CommitCut.class)
    void callersOutcomeProbeReplacesTheMarker(CommitCut cut) throws Exception {
        Ledger ledger = Ledger.create(server);
        try (FaultProxy proxy = FaultProxy.inFrontOf(server);
                ResilientDatabase db = Databases.builder(server.urlVia(JdbcDriver.MARIADB, proxy.port()), server)
                        .build()) {
            long markersBefore = server.queryLong("SELECT COUNT(*) FROM sf_tx_outcome");
            AtomicInteger attempts = new AtomicInteger();
            proxy.armCommitCut(cut);
            String key = "probe-" + cut;
            db.transaction(c -> ledger.count(key) == 1, tx -> {
                attempts.incrementAndGet();
                ledger.append(tx, key);
                return null;
            });
            assertThat(proxy.commitCutsFired()).isEqualTo(1);
            assertThat(ledger.count(key)).isEqualTo(1);
            assertThat(attempts).hasValue(cut == CommitCut.AFTER_COMMIT ? 1 : 2);
            assertThat(server.queryLong("SELECT COUNT(*) FROM sf_tx_outcome"))
                    .as("no marker written")
                    .isEqualTo(markersBefore);
        }
    }

    @ParameterizedTest
    @EnumSource(JdbcDriver.class)
    void aFailedUnitLeavesNoOpenTransactionOnThePooledConnection(JdbcDriver driver) throws Exception {
        // transactions run as START TRANSACTION ... COMMIT on a connection in autocommit, so the pool rolls nothing
        // back by itself: a unit that fails must have ended its transaction before the connection is borrowed again
        Ledger ledger = Ledger.create(server);
        try (ResilientDatabase db = Databases.builder(server.url(driver), server)
                .hikari(c -> c.setMaximumPoolSize(1))
                .build()) {
            assertThatThrownBy(() -> db.transaction(tx -> {
                        ledger.append(tx, "thrown");
                        throw new IllegalStateException("boom");
                    }))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(openTransaction(db)).as("after a runtime exception").isZero();
            assertThatThrownBy(() -> db.transaction(tx -> {
                        ledger.append(tx, "failed");
                        try (Statement s = tx.createStatement()) {
                            return s.executeQuery("SELECT * FROM no_such_table_here");
                        }
                    }))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("no_such_table_here");
            assertThat(openTransaction(db)).as("after an SQL error").isZero();
            assertThat(ledger.count("thrown") + ledger.count("failed"))
                    .as("both rolled back")
                    .isZero();
            db.transaction(tx -> {
                ledger.append(tx, "next");
                return null;
            });
            assertThat(ledger.count("next")).isEqualTo(1);
        }
    }

    private static long openTransaction(ResilientDatabase db) throws SQLException {
        return db.read(c -> {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT @@in_transaction")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Test
    void withoutMarkersAnInterruptedCommitIsReportedAsUnknownAndNeverReplayed() throws Exception {
        Ledger ledger = Ledger.create(server);
        try (FaultProxy proxy = FaultProxy.inFrontOf(server);
                ResilientDatabase db = Databases.builder(server.urlVia(JdbcDriver.MYSQL, proxy.port()), server)
                        .commitMarkers(false)
                        .build()) {
            AtomicInteger attempts = new AtomicInteger();
            proxy.armCommitCut(CommitCut.AFTER_COMMIT);
            assertThatThrownBy(() -> db.transaction(tx -> {
                        attempts.incrementAndGet();
                        ledger.append(tx, "unknown");
                        return null;
                    }))
                    .isInstanceOf(CommitOutcomeUnknownException.class)
                    .hasMessageContaining("may or may not have committed");
            assertThat(attempts).hasValue(1);
            assertThat(ledger.count("unknown"))
                    .as("it did commit; we just could not prove it")
                    .isEqualTo(1);
        }
    }

    @Test
    void errorsOfTheWorkItselfAreRolledBackAndPropagatedWithoutReplay() throws Exception {
        Ledger ledger = Ledger.create(server);
        try (ResilientDatabase db = Databases.open(JdbcDriver.MARIADB, server)) {
            AtomicInteger attempts = new AtomicInteger();
            assertThatThrownBy(() -> db.transaction(tx -> {
                        attempts.incrementAndGet();
                        ledger.append(tx, "rolled-back");
                        try (Statement s = tx.createStatement()) {
                            s.execute("INSERT INTO no_such_table VALUES (1)");
                        }
                        return null;
                    }))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("no_such_table");
            assertThatThrownBy(() -> db.transaction(tx -> {
                        attempts.incrementAndGet();
                        ledger.append(tx, "rolled-back");
                        throw new IllegalStateException("business rule");
                    }))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(attempts).hasValue(2);
            assertThat(ledger.count("rolled-back")).isZero();
        }
    }

    @Test
    void deadlockVictimIsReplayedAndBothUnitsCommit() throws Exception {
        server.execute(
                "CREATE TABLE IF NOT EXISTS unit_dl (id INT PRIMARY KEY, v INT)",
                "INSERT IGNORE INTO unit_dl VALUES (1, 0), (2, 0)",
                "UPDATE unit_dl SET v = 0");
        try (ResilientDatabase db = Databases.open(JdbcDriver.MARIADB, server)) {
            CountDownLatch bothLocked = new CountDownLatch(2);
            AtomicInteger attempts = new AtomicInteger();
            CompletableFuture<Void> one = CompletableFuture.runAsync(() -> crossUpdate(db, 1, 2, bothLocked, attempts));
            CompletableFuture<Void> two = CompletableFuture.runAsync(() -> crossUpdate(db, 2, 1, bothLocked, attempts));
            one.get(60, TimeUnit.SECONDS);
            two.get(60, TimeUnit.SECONDS);
            assertThat(server.queryLong("SELECT SUM(v) FROM unit_dl")).isEqualTo(4);
            assertThat(attempts.get()).isEqualTo(3); // the victim ran twice
            assertThat(Sql.counter(db, "steadfast.connection.failures", "kind", "transaction_rolled_back"))
                    .isEqualTo(1);
        }
    }

    private static void crossUpdate(
            ResilientDatabase db, int first, int second, CountDownLatch bothLocked, AtomicInteger attempts) {
        try {
            db.transaction(tx -> {
                attempts.incrementAndGet();
                update(tx, first);
                bothLocked.countDown();
                try {
                    bothLocked.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                update(tx, second);
                return null;
            });
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(Connection tx, int id) throws SQLException {
        try (PreparedStatement s = tx.prepareStatement("UPDATE unit_dl SET v = v + 1 WHERE id = ?")) {
            s.setInt(1, id);
            s.executeUpdate();
        }
    }

    @Test
    void anInterruptedThreadStillCompletesItsUnitAndKeepsItsInterruptStatus() throws Exception {
        Ledger ledger = Ledger.create(server);
        try (ResilientDatabase db = Databases.open(JdbcDriver.MARIADB, server)) {
            db.read(c -> Sql.connectionId(c));
            Thread.currentThread().interrupt();
            try {
                db.transaction(tx -> {
                    ledger.append(tx, "interrupted-before");
                    return null;
                });
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
                AtomicInteger attempts = new AtomicInteger();
                db.transaction(tx -> {
                    ledger.append(tx, "interrupted-during");
                    if (attempts.incrementAndGet() == 1) {
                        Thread.currentThread().interrupt(); // closes the NIO-backed socket under the driver
                    }
                    ledger.append(tx, "interrupted-during-second");
                    return null;
                });
                assertThat(Thread.interrupted())
                        .as("status restored, and cleared here")
                        .isTrue();
            } finally {
                Thread.interrupted();
            }
            assertThat(ledger.count("interrupted-before")).isEqualTo(1);
            assertThat(ledger.count("interrupted-during")).isEqualTo(1);
            assertThat(ledger.count("interrupted-during-second")).isEqualTo(1);
        }
    }

    @Test
    void wrongPasswordFailsAtOnceInsteadOfRetrying() {
        long started = System.nanoTime();
        assertThatThrownBy(() -> ResilientDatabase.builder()
                        .jdbcUrl(server.url(JdbcDriver.MARIADB))
                        .username(server.user())
                        .password("wrong")
                        .build())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Access denied");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void unsupportedUrlIsExplained() {
        assertThatThrownBy(() -> ResilientDatabase.builder()
                        .jdbcUrl("jdbc:postgresql://localhost/x")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:mariadb://")
                .hasMessageContaining("jdbc:mysql://");
    }

    @Test
    void expiredCommitMarkersArePurgedInBatches() throws Exception {
        try (ResilientDatabase db =
                Databases.open(JdbcDriver.MARIADB, server, b -> b.markerRetention(Duration.ofMinutes(10)))) {
            server.execute("DELETE FROM sf_tx_outcome");
            server.execute("INSERT INTO sf_tx_outcome (id, created_at) SELECT UNHEX(MD5(seq)), NOW(3) - INTERVAL 1 HOUR"
                    + " FROM seq_1_to_2500");
            db.transaction(tx -> null); // a fresh marker, kept
            assertThat(db.purgeCommitMarkers()).isEqualTo(2500);
            assertThat(server.queryLong("SELECT COUNT(*) FROM sf_tx_outcome")).isEqualTo(1);
        }
    }

    @Test
    void plainDataSourceSkipsDeadConnections() throws Exception {
        try (ResilientDatabase db =
                Databases.open(JdbcDriver.MYSQL, server, b -> b.hikari(c -> c.setMaximumPoolSize(1)))) {
            long id;
            try (Connection c = db.dataSource().getConnection()) {
                id = Sql.connectionId(c);
            }
            server.killConnection(id);
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> !server.hasConnection(id));
            try (Connection c = db.dataSource().getConnection();
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
                rs.next();
                assertThat(rs.getLong(1)).isNotEqualTo(id);
            }
        }
    }
}
