package dev.steadfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.steadfast.testkit.CommitCut;
import dev.steadfast.testkit.FaultProxy;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import dev.steadfast.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The connection-loss scenarios of the issue, each with both drivers, each asserted on what the caller
 * got and on the data: (b) KILL inside HikariCP's 500 ms window, (c) KILL during a read, (d) KILL
 * mid-transaction, (e1-e3) COMMIT cut after, before, and while it is still running, (g) blackhole.
 */
class ConnectionLossScenariosTest {

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("dev.steadfast.jdbc.Databases#matrix")
    void b_idleConnectionKilledRightBeforeReuseIsReplacedWithoutARoundTrip(JdbcDriver driver, TestDatabase target)
            throws Exception {
        Ledger ledger = Ledger.create(target);
        try (ResilientDatabase db = Databases.open(driver, target, b -> b.hikari(c -> c.setMaximumPoolSize(1)))) {
            long firstId = db.transaction(tx -> {
                ledger.append(tx, "warm");
                return Sql.connectionId(tx);
            });
            assertThat(target.killConnection(firstId)).isTrue();
            // the server has closed it, well inside HikariCP's 500 ms window in which it does not validate
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> !target.hasConnection(firstId));

            long secondId = db.transaction(tx -> {
                ledger.append(tx, "b");
                return Sql.connectionId(tx);
            });

            assertThat(secondId).isNotEqualTo(firstId);
            assertThat(ledger.count("b")).isEqualTo(1);
            assertThat(Sql.counter(db, "steadfast.liveness.evictions"))
                    .as("caught by the local socket check")
                    .isEqualTo(1);
            assertThat(Sql.counter(db, "steadfast.unit.replays"))
                    .as("no statement failed, nothing replayed")
                    .isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.steadfast.jdbc.Databases#drivers")
    void b_control_plainHikariSurfacesTheErrorInTheSameScenario(JdbcDriver driver) throws Exception {
        TestDatabase target = MariaDbServer.shared();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(target.url(driver));
        config.setUsername(target.user());
        config.setPassword(target.password());
        config.setMaximumPoolSize(1);
        try (HikariDataSource plain = new HikariDataSource(config)) {
            long id;
            try (Connection c = plain.getConnection()) {
                id = Sql.connectionId(c);
            }
            target.killConnection(id);
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> !target.hasConnection(id));
            assertThatThrownBy(() -> {
                        try (Connection c = plain.getConnection()) {
                            Sql.connectionId(c);
                        }
                    })
                    .isInstanceOf(SQLException.class);
        }
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("dev.steadfast.jdbc.Databases#matrix")
    void c_killDuringAnAutocommitReadIsReplayed(JdbcDriver driver, TestDatabase target) throws Exception {
        try (ResilientDatabase db = Databases.open(driver, target)) {
            AtomicInteger attempts = new AtomicInteger();
            long value = db.read(c -> {
                if (attempts.incrementAndGet() == 1) {
                    long id = Sql.connectionId(c);
                    CompletableFuture.runAsync(() -> killLater(target, id, 300));
                    return Sql.queryLong(c, "SELECT SLEEP(5) + 1000");
                }
                return Sql.queryLong(c, "SELECT 42");
            });
            assertThat(value).isEqualTo(42);
            assertThat(attempts).hasValue(2);
        }
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("dev.steadfast.jdbc.Databases#matrix")
    void d_killMidTransactionAfterWritesReplaysTheWholeUnitOnce(JdbcDriver driver, TestDatabase target)
            throws Exception {
        Ledger ledger = Ledger.create(target);
        try (ResilientDatabase db = Databases.open(driver, target)) {
            AtomicInteger attempts = new AtomicInteger();
            String result = db.transaction(tx -> {
                ledger.append(tx, "d");
                if (attempts.incrementAndGet() == 1) {
                    target.killConnection(Sql.connectionId(tx));
                }
                ledger.append(tx, "d-second");
                return "done";
            });
            assertThat(result).isEqualTo("done");
            assertThat(attempts).hasValue(2);
            assertThat(ledger.count("d")).isEqualTo(1);
            assertThat(ledger.count("d-second")).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("dev.steadfast.jdbc.Databases#matrix")
    void e1_cutAfterCommitReachedTheServerIsResolvedAsCommittedAndNotReplayed(JdbcDriver driver, TestDatabase target)
            throws Exception {
        Ledger ledger = Ledger.create(target);
        try (FaultProxy proxy = FaultProxy.inFrontOf(target);
                ResilientDatabase db = Databases.builder(target.urlVia(driver, proxy.port()), target)
                        .build()) {
            AtomicInteger attempts = new AtomicInteger();
            proxy.armCommitCut(CommitCut.AFTER_COMMIT);
            String result = db.transaction(tx -> {
                attempts.incrementAndGet();
                ledger.append(tx, "e1");
                return "ok";
            });
            assertThat(proxy.commitCutsFired()).isEqualTo(1);
            assertThat(result).isEqualTo("ok");
            assertThat(attempts).as("a committed unit is never run again").hasValue(1);
            assertThat(ledger.count("e1")).isEqualTo(1);
            assertThat(Sql.counter(db, "steadfast.commit.resolutions", "result", "committed"))
                    .isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("dev.steadfast.jdbc.Databases#matrix")
    void e2_cutBeforeCommitReachedTheServerIsProvenRolledBackAndReplayed(JdbcDriver driver, TestDatabase target)
            throws Exception {
        Ledger ledger = Ledger.create(target);
        try (FaultProxy proxy = FaultProxy.inFrontOf(target);
                ResilientDatabase db = Databases.builder(target.urlVia(driver, proxy.port()), target)
                        .build()) {
            AtomicInteger attempts = new AtomicInteger();
            proxy.armCommitCut(CommitCut.BEFORE_COMMIT);
            db.transaction(tx -> {
                attempts.incrementAndGet();
                ledger.append(tx, "e2");
                return null;
            });
            assertThat(proxy.commitCutsFired()).isEqualTo(1);
            assertThat(attempts).hasValue(2);
            assertThat(ledger.count("e2")).isEqualTo(1);
            assertThat(Sql.counter(db, "steadfast.commit.resolutions", "result", "rolled_back"))
                    .isEqualTo(1);
        }
    }

    /**
     * The commit is still waiting (for a global read lock) when the client is cut off. Reading the marker
     * at once would find nothing, replay, and let the old commit finish later: a duplicate. The old
     * session must be fenced first.
     */
    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("dev.steadfast.jdbc.Databases#matrix")
    void e3_commitStillRunningWhenTheClientIsCutIsFencedThenResolved(JdbcDriver driver, TestDatabase target)
            throws Exception {
        Ledger ledger = Ledger.create(target);
        try (FaultProxy proxy = FaultProxy.inFrontOf(target);
                ResilientDatabase db = Databases.builder(target.urlVia(driver, proxy.port()), target)
                        .build();
                Connection locker = target.admin()) {
            AtomicInteger attempts = new AtomicInteger();
            CompletableFuture<Void> unlock = new CompletableFuture<>();
            proxy.armCommitCut(CommitCut.AFTER_COMMIT, () -> {
                try (Statement s = locker.createStatement()) {
                    s.execute("FLUSH TABLES WITH READ LOCK"); // the COMMIT about to arrive will wait for it
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
                unlock.completeAsync(() -> {
                    sleep(3000);
                    try (Statement s = locker.createStatement()) {
                        s.execute("UNLOCK TABLES");
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                    return null;
                });
            });
            db.transaction(tx -> {
                attempts.incrementAndGet();
                ledger.append(tx, "e3");
                return null;
            });
            unlock.get(30, TimeUnit.SECONDS);
            assertThat(proxy.commitCutsFired()).isEqualTo(1);
            assertThat(ledger.count("e3")).as("exactly one copy").isEqualTo(1);
            double committed = Sql.counter(db, "steadfast.commit.resolutions", "result", "committed");
            double rolledBack = Sql.counter(db, "steadfast.commit.resolutions", "result", "rolled_back");
            assertThat(committed + rolledBack)
                    .as("resolved one way or the other")
                    .isEqualTo(1);
            // MariaDB lets a KILLed session finish a commit that waits for the lock: then it is found
            // committed (once the fence has waited for the session to end) and not run again.
            assertThat(attempts).hasValue(1 + (int) rolledBack);
            assertThat(Sql.counter(db, "steadfast.session.fences"))
                    .as("the old session was fenced")
                    .isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("dev.steadfast.jdbc.Databases#matrix")
    void g_blackholedConnectionIsAbandonedAfterTheSocketTimeoutAndTheUnitReplayed(
            JdbcDriver driver, TestDatabase target) throws Exception {
        Ledger ledger = Ledger.create(target);
        Duration socketTimeout = Duration.ofSeconds(2);
        try (FaultProxy proxy = FaultProxy.inFrontOf(target);
                ResilientDatabase db = Databases.builder(target.urlVia(driver, proxy.port()), target)
                        .socketTimeout(socketTimeout)
                        .build()) {
            AtomicInteger attempts = new AtomicInteger();
            long started = System.nanoTime();
            long id = db.transaction(tx -> {
                ledger.append(tx, "g");
                if (attempts.incrementAndGet() == 1) {
                    proxy.freezeExisting(); // the network silently stops delivering this connection's packets
                }
                return Sql.connectionId(tx);
            });
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(id).isPositive();
            assertThat(attempts).hasValue(2);
            assertThat(ledger.count("g")).isEqualTo(1);
            // Not a performance claim: without a socket timeout this call would never return at all.
            assertThat(took).isLessThan(socketTimeout.multipliedBy(5));
        }
    }

    /** The whole network goes silent (new connections too) for 3 s, then comes back. */
    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("dev.steadfast.jdbc.Databases#matrix")
    void g2_networkSilentForEveryConnectionThenBackHealsWithinTheDeadline(JdbcDriver driver, TestDatabase target)
            throws Exception {
        Ledger ledger = Ledger.create(target);
        try (FaultProxy proxy = FaultProxy.inFrontOf(target);
                ResilientDatabase db = Databases.builder(target.urlVia(driver, proxy.port()), target)
                        .socketTimeout(Duration.ofSeconds(2))
                        .connectTimeout(Duration.ofSeconds(2))
                        .build()) {
            AtomicInteger attempts = new AtomicInteger();
            CompletableFuture<Void> healed = new CompletableFuture<>();
            db.transaction(tx -> {
                ledger.append(tx, "g2");
                if (attempts.incrementAndGet() == 1) {
                    proxy.blackholeAll();
                    healed.completeAsync(() -> {
                        sleep(3000);
                        proxy.heal();
                        return null;
                    });
                }
                return Sql.connectionId(tx);
            });
            healed.get(30, TimeUnit.SECONDS);
            assertThat(attempts.get())
                    .as("attempts during the silence failed, one after it succeeded")
                    .isGreaterThanOrEqualTo(2);
            assertThat(ledger.count("g2")).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("dev.steadfast.jdbc.Databases#matrix")
    void networkResetMidTransactionReplaysTheUnit(JdbcDriver driver, TestDatabase target) throws Exception {
        Ledger ledger = Ledger.create(target);
        try (FaultProxy proxy = FaultProxy.inFrontOf(target);
                ResilientDatabase db = Databases.builder(target.urlVia(driver, proxy.port()), target)
                        .build()) {
            AtomicInteger attempts = new AtomicInteger();
            db.transaction(tx -> {
                ledger.append(tx, "reset");
                if (attempts.incrementAndGet() == 1) {
                    proxy.resetAll(); // every connection gets a TCP reset
                }
                ledger.append(tx, "reset-second");
                return null;
            });
            assertThat(attempts).hasValue(2);
            assertThat(ledger.count("reset")).isEqualTo(1);
            assertThat(ledger.count("reset-second")).isEqualTo(1);
        }
    }

    private static void killLater(TestDatabase target, long id, long millis) {
        sleep(millis);
        try {
            target.killConnection(id);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
