package dev.steadfast.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.testkit.FaultProxy;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A start (connect, read the server's settings, create the marker table, start the pool, check the schema, migrate) loses
 * its connection at each of its steps in turn: a fault proxy cuts the 1st, 2nd, ... nth command of the start, for as many
 * commands as a clean start sends, and every start still ends with a working queue.
 */
@ExtendWith(SharedQueue.class)
class StartupHealingTest {
    private static final MariaDbServer SERVER = MariaDbServer.shared();
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @ParameterizedTest
    @EnumSource(JdbcDriver.class)
    void everyStepOfAStartSurvivesItsConnectionCut(JdbcDriver driver) throws Exception {
        String name = QueueTestSupport.uniqueQueue("start-" + driver);
        try (FaultProxy proxy = FaultProxy.inFrontOf(SERVER)) {
            String url = SERVER.urlVia(driver, proxy.port());
            long before = proxy.commandsSent();
            start(url, name);
            long clean = proxy.commandsSent() - before;
            assertThat(clean).as("commands of a clean start").isGreaterThan(5);
            List<Long> cut = new ArrayList<>();
            for (long n = 1; n <= clean; n++) {
                long from = proxy.commandsSent();
                int fired = proxy.commitCutsFired();
                proxy.armCutAtCommand(n, () -> {});
                start(url, name); // throws when a step of the start gave up
                if (proxy.commandsSent() - from >= n) {
                    // the proxy counts a command before it cuts it: the start's last command (the pool's QUIT at close)
                    // has no reply to wait for, so the count can be seen a moment before the cut
                    long nth = n;
                    await().atMost(Duration.ofSeconds(10))
                            .untilAsserted(() -> assertThat(proxy.commitCutsFired())
                                    .as("command %d of the start was cut", nth)
                                    .isEqualTo(fired + 1));
                    cut.add(n);
                } else {
                    proxy.disarm(); // this start sent fewer commands (the pool's background fill varies)
                }
            }
            assertThat(cut).as("starts cut at one of their commands").hasSizeGreaterThan((int) clean / 2);
            assertThat(SERVER.queryLong("SELECT COUNT(*) FROM sf_job WHERE queue = '" + name + "'"))
                    .as("every start ended with a working queue")
                    .isEqualTo(clean + 1);
        }
    }

    /**
     * A first migration loses its connection between two statements of one script (V9: its column added, its table not
     * yet created). MySQL and MariaDB commit DDL statement by statement, so the script is half applied; the start runs
     * it again, skipping what is in place, and ends with the whole schema.
     */
    @ParameterizedTest
    @EnumSource(JdbcDriver.class)
    void aMigrationCutBetweenItsStatementsIsResumed(JdbcDriver driver) throws Exception {
        String schema = "cut_migration_" + driver.name().toLowerCase(Locale.ROOT);
        SERVER.execute("DROP DATABASE IF EXISTS " + schema);
        SERVER.execute("CREATE DATABASE " + schema);
        try (FaultProxy proxy = FaultProxy.inFrontOf(SERVER)) {
            String url = SERVER.urlVia(driver, proxy.port()).replaceFirst("/steadfast(\\?|$)", "/" + schema + "$1");
            int fired = proxy.commitCutsFired();
            proxy.armCutAtQuery("CREATE TABLE IF NOT EXISTS sf_concurrency", () -> {});
            try (ResilientDatabase db = ResilientDatabase.builder()
                    .jdbcUrl(url)
                    .username(SERVER.user())
                    .password(SERVER.password())
                    .waitForDatabase(PATIENCE)
                    .build()) {
                JobQueue queue = JobQueue.create(db);
                assertThat(proxy.commitCutsFired())
                        .as("the migration was cut between its statements")
                        .isEqualTo(fired + 1);
                assertThat(Migrations.status(db.dataSource()).upToDate()).isTrue();
                queue.enqueue(JobRequest.of("noop").concurrencyLimit("k", 1).build());
            }
            assertThat(SERVER.queryLong("SELECT COUNT(*) FROM " + schema + ".sf_concurrency"))
                    .as("V9's table")
                    .isEqualTo(1);
            assertThat(SERVER.queryLong("SELECT COUNT(*) FROM " + schema + ".sf_schema_history WHERE success = 0"))
                    .isZero();
        } finally {
            SERVER.execute("DROP DATABASE IF EXISTS " + schema);
        }
    }

    /** One start as a worker makes it, then one job enqueued through it. */
    private static void start(String url, String queueName) throws SQLException {
        try (ResilientDatabase db = ResilientDatabase.builder()
                .jdbcUrl(url)
                .username(SERVER.user())
                .password(SERVER.password())
                .waitForDatabase(PATIENCE)
                .build()) {
            JobQueue.existing(db);
            JobQueue queue = JobQueue.create(db);
            queue.enqueue(JobRequest.of("noop").queue(queueName).build());
        }
    }
}
