package dev.steadfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.steadfast.testkit.CommitCut;
import dev.steadfast.testkit.FaultProxy;
import dev.steadfast.testkit.GaleraCluster;
import dev.steadfast.testkit.GaleraNode;
import dev.steadfast.testkit.JdbcDriver;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A three-node MariaDB Galera cluster on loopback, named in one URL: Steadfast writes through one node (no
 * certification conflicts between its own connections), moves to the next when that node dies or leaves the primary
 * component, comes back when it returns, and resolves a COMMIT cut on a node that died or was cut off on a survivor,
 * so that each unit of work is applied exactly once. Both drivers; the cluster is shared and left healed.
 */
class GaleraClusterTest {
    private static GaleraCluster cluster;

    @BeforeAll
    static void cluster() {
        cluster = GaleraCluster.forTests();
    }

    @AfterEach
    void heal() {
        cluster.heal();
    }

    @ParameterizedTest
    @EnumSource(JdbcDriver.class)
    void oneWriterMovesWhenItsNodeDiesAndComesBackWhenItReturns(JdbcDriver driver) throws Exception {
        GaleraNode first = cluster.node(1);
        GaleraNode second = cluster.node(2);
        Ledger ledger = Ledger.create(first);
        try (ResilientDatabase db = Databases.builder(cluster.url(driver), first)
                        .hikari(c -> c.setMaximumPoolSize(4))
                        .build();
                Writers writers = new Writers(db, ledger, 4)) {
            writers.awaitMore(100);
            assertThat(sessionsOn(first))
                    .as("every connection on the first node")
                    .isPositive();
            assertThat(sessionsOn(second) + sessionsOn(cluster.node(3))).isZero();

            first.kill();
            writers.awaitMore(200);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> sessionsOn(second) > 0 && sessionsOn(cluster.node(3)) == 0);

            first.start(); // rejoins by state transfer
            await().atMost(Duration.ofSeconds(30)).until(() -> sessionsOn(first) > 0 && sessionsOn(second) == 0);
            writers.awaitMore(100);
            writers.close();

            assertThat(writers.errors).as("no caller saw an error").isEmpty();
            assertThat(ledger.total()).as("each unit once").isEqualTo(writers.done.get());
            assertThat(ledger.duplicates()).isZero();
            // away and back at least; a node that has just rejoined can refuse a connection once more while the
            // cluster's view settles, and the writer then steps aside and fails back again
            assertThat(Sql.counter(db, "steadfast.writer.moves"))
                    .as("away and back")
                    .isGreaterThanOrEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(JdbcDriver.class)
    void aNodeCutOffFromTheClusterIsLeftUntilItRejoins(JdbcDriver driver) throws Exception {
        GaleraNode first = cluster.node(1);
        Ledger ledger = Ledger.create(first);
        try (ResilientDatabase db = Databases.builder(cluster.url(driver), first)
                        .hikari(c -> c.setMaximumPoolSize(4))
                        .build();
                Writers writers = new Writers(db, ledger, 4)) {
            writers.awaitMore(100);
            first.isolate();
            writers.awaitMore(200);
            assertThat(sessionsOn(cluster.node(2))).isPositive();
            assertThat(Sql.counter(db, "steadfast.connection.failures", "kind", "node_unusable"))
                    .as("statements refused with 1047 on the cut-off node")
                    .isPositive();
            first.rejoin();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> sessionsOn(first) > 0 && sessionsOn(cluster.node(2)) == 0);
            writers.close();
            assertThat(writers.errors).isEmpty();
            assertThat(ledger.total()).isEqualTo(writers.done.get());
        }
    }

    /**
     * The COMMIT reaches the first node, the client's connection is cut, and the node dies a moment later: it may or
     * may not have replicated the transaction. The outcome is read on a survivor only once the dead node has left
     * the cluster view, and causally (wsrep_sync_wait): found there, the unit is done; not found, it runs again.
     */
    @ParameterizedTest
    @EnumSource(JdbcDriver.class)
    void aCommitCutOnANodeThatDiesIsResolvedOnASurvivor(JdbcDriver driver) throws Exception {
        GaleraNode first = cluster.node(1);
        Ledger ledger = Ledger.create(cluster.node(2)); // counted on a survivor
        try (FaultProxy proxy = FaultProxy.inFrontOf(first);
                ResilientDatabase db =
                        Databases.builder(viaProxy(driver, proxy), first).build()) {
            AtomicInteger attempts = new AtomicInteger();
            proxy.armCommitCut(
                    CommitCut.AFTER_COMMIT,
                    () -> started(() -> {
                        sleep(3);
                        first.kill();
                    }));
            db.transaction(tx -> {
                attempts.incrementAndGet();
                ledger.append(tx, "cut");
                return null;
            });
            assertThat(proxy.commitCutsFired()).isEqualTo(1);
            assertThat(ledger.count("cut")).as("exactly one copy").isEqualTo(1);
            assertResolvedOnce(db);
        }
    }

    /**
     * The COMMIT reaches the first node but waits there (a global read lock), and the node is cut off from the
     * cluster: the session is killed on that node, which still answers, before the outcome is read on another.
     */
    @ParameterizedTest
    @EnumSource(JdbcDriver.class)
    void aCommitWaitingOnANodeThatIsCutOffIsFencedThereAndResolvedElsewhere(JdbcDriver driver) throws Exception {
        GaleraNode first = cluster.node(1);
        Ledger ledger = Ledger.create(first);
        try (FaultProxy proxy = FaultProxy.inFrontOf(first);
                ResilientDatabase db =
                        Databases.builder(viaProxy(driver, proxy), first).build();
                Connection locker = first.admin()) {
            AtomicInteger attempts = new AtomicInteger();
            proxy.armCommitCut(CommitCut.AFTER_COMMIT, () -> {
                try (Statement s = locker.createStatement()) {
                    s.execute("FLUSH TABLES WITH READ LOCK");
                    first.isolate();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            db.transaction(tx -> {
                attempts.incrementAndGet();
                ledger.append(tx, "waiting");
                return null;
            });
            try (Statement s = locker.createStatement()) {
                s.execute("UNLOCK TABLES");
            }
            first.rejoin();
            assertThat(ledger.count("waiting")).as("exactly one copy").isEqualTo(1);
            assertResolvedOnce(db);
            assertThat(attempts).hasValue(2); // killed while waiting: rolled back, then run on the second node
        }
    }

    @Test
    void unitsWaitOutAWholeClusterRestart() throws Exception {
        Ledger ledger = Ledger.create(cluster.node(1));
        try (ResilientDatabase db = Databases.builder(cluster.url(JdbcDriver.MARIADB), cluster.node(1))
                        .retryPolicy(RetryPolicy.DEFAULT.withDeadline(Duration.ofSeconds(90)))
                        .hikari(c -> c.setMaximumPoolSize(2))
                        .build();
                Writers writers = new Writers(db, ledger, 2)) {
            writers.awaitMore(50);
            cluster.restartAll(); // every node stopped, the last to leave bootstraps, the others rejoin
            assertThat(cluster.nodes()).allMatch(GaleraNode::isRunning);
            writers.awaitMore(50);
            writers.close();
            assertThat(writers.errors).as("callers waited instead of failing").isEmpty();
            assertThat(ledger.total()).isEqualTo(writers.done.get());
            assertThat(ledger.duplicates()).isZero();
        }
    }

    @Test
    void aCertificationConflictBetweenTwoNodesIsReplayedAtOnce() throws Exception {
        Ledger ledger = Ledger.create(cluster.node(1));
        cluster.node(1).execute("INSERT INTO " + ledger.table + " (id, k, v) VALUES (1, 'hot', 0)");
        // two databases each pinned to its own node, updating the same row: Galera aborts one at certification (1213)
        try (ResilientDatabase a = Databases.open(JdbcDriver.MARIADB, cluster.node(1));
                ResilientDatabase b = Databases.open(JdbcDriver.MYSQL, cluster.node(2))) {
            int perSide = 200;
            Thread other = started(() -> increment(b, ledger, perSide));
            increment(a, ledger, perSide);
            other.join();
            assertThat(cluster.node(3).queryLong("SELECT v FROM " + ledger.table + " WHERE id = 1"))
                    .as("every increment applied once")
                    .isEqualTo(2L * perSide);
            double conflicts = Sql.counter(a, "steadfast.connection.failures", "kind", "transaction_rolled_back")
                    + Sql.counter(b, "steadfast.connection.failures", "kind", "transaction_rolled_back");
            assertThat(conflicts)
                    .as("certification conflicts happened and were replayed")
                    .isPositive();
        }
    }

    private static void increment(ResilientDatabase db, Ledger ledger, int times) {
        try {
            for (int i = 0; i < times; i++) {
                db.transaction(tx -> {
                    try (Statement s = tx.createStatement()) {
                        s.executeUpdate("UPDATE " + ledger.table + " SET v = v + 1 WHERE id = 1");
                    }
                    return null;
                });
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String viaProxy(JdbcDriver driver, FaultProxy proxy) {
        // the first node through the proxy, then the others: the URL a user would write, with a fault in front
        String url = cluster.url(driver);
        return url.replace("127.0.0.1:" + cluster.node(1).port() + ",", "127.0.0.1:" + proxy.port() + ",");
    }

    private static void assertResolvedOnce(ResilientDatabase db) {
        double committed = Sql.counter(db, "steadfast.commit.resolutions", "result", "committed");
        double rolledBack = Sql.counter(db, "steadfast.commit.resolutions", "result", "rolled_back");
        assertThat(committed + rolledBack).as("resolved one way or the other").isEqualTo(1);
    }

    private static long sessionsOn(GaleraNode node) {
        if (!node.isRunning()) {
            return 0;
        }
        try {
            return node.connectionIds().size();
        } catch (SQLException e) {
            return 0;
        }
    }

    private static Thread started(Runnable work) {
        Thread thread = new Thread(work);
        thread.start();
        return thread;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Threads appending a ledger row per transaction until closed; errors any caller saw are kept. */
    private static final class Writers implements AutoCloseable {
        final AtomicLong done = new AtomicLong();
        final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads;

        Writers(ResilientDatabase db, Ledger ledger, int count) {
            AtomicLong keys = new AtomicLong();
            threads = IntStream.range(0, count)
                    .mapToObj(i -> started(() -> {
                        while (running.get()) {
                            String key = "w" + keys.incrementAndGet();
                            try {
                                db.transaction(tx -> {
                                    ledger.append(tx, key);
                                    return null;
                                });
                                done.incrementAndGet();
                            } catch (SQLException | RuntimeException e) {
                                errors.add(e);
                            }
                        }
                    }))
                    .toList();
        }

        void awaitMore(long units) {
            long target = done.get() + units;
            await(units + " more units")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> done.get() >= target || failsOnErrors(units));
        }

        /** Fails the wait at once when a caller saw an error; false otherwise. */
        private boolean failsOnErrors(long units) {
            assertThat(errors)
                    .as("errors while waiting for " + units + " more units: "
                            + errors.stream()
                                    .map(e -> e instanceof SQLException sql
                                            ? sql.getErrorCode() + "/" + sql.getSQLState()
                                            : "")
                                    .toList())
                    .isEmpty();
            return false;
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join();
            }
        }
    }
}
