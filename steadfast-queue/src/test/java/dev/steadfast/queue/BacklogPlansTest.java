package dev.steadfast.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.internal.store.Store;
import dev.steadfast.queue.metrics.QueueGauges;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.assertj.core.groups.Tuple;
import org.awaitility.Awaitility;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The costs that must not grow with the table, at about 200,000 jobs: a database filled under the previous schema
 * (V3) is upgraded in place; then every statement the dashboard, {@code stats}, the gauges, claims, outcomes and
 * housekeeping send is captured from the server's general log and explained. None may scan the table or sort
 * more than a bounded set, and the counts are exact where small and marked, and close, where estimated.
 * Timings at 10 million jobs are in steadfast-bench ({@code BacklogBenchmark}), not here.
 */
class BacklogPlansTest {
    private static final MariaDbServer SERVER = MariaDbServer.shared();
    private static final String SCHEMA = "backlog_" + Long.toHexString(System.nanoTime());
    private static final long ROWS_ESTIMATE_LIMIT = QueueCounts.EXACT_UP_TO + 1;

    private static ResilientDatabase db;
    private static JobQueue queue;

    @BeforeAll
    static void fillUnderThePreviousSchemaAndUpgrade() throws SQLException {
        SERVER.execute("CREATE DATABASE " + SCHEMA);
        String url = SERVER.url(JdbcDriver.MARIADB).replaceFirst("/steadfast(\\?|$)", "/" + SCHEMA + "$1");
        db = ResilientDatabase.builder()
                .jdbcUrl(url)
                .username(SERVER.user())
                .password(SERVER.password())
                .build();
        flyway(db.dataSource()).target("3").load().migrate();
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement()) {
            // 'bulk' and 'mail' are large (estimated), 'small' is exact; two priorities in 'bulk'
            fill(s, 80_000, "bulk", "succeeded", 0, "NOW(3) - INTERVAL (seq % 600000) SECOND");
            fill(s, 40_000, "bulk", "pending", 0, "NOW(3) - INTERVAL (seq % 3600) SECOND");
            fill(s, 5_000, "bulk", "pending", 5, "NOW(3) - INTERVAL (seq % 60) SECOND");
            fill(s, 15_000, "bulk", "pending", 0, "NOW(3) + INTERVAL (1 + seq % 3600) SECOND");
            fill(s, 12_000, "bulk", "failed", 0, "NOW(3) - INTERVAL (seq % 600000) SECOND");
            fill(s, 30_000, "mail", "succeeded", 0, "NOW(3) - INTERVAL (seq % 600000) SECOND");
            fill(s, 20_000, "mail", "pending", 0, "NOW(3) - INTERVAL (seq % 3600) SECOND");
            fill(s, 7, "small", "pending", 0, "NOW(3) - INTERVAL 1 MINUTE");
            fill(s, 3, "small", "pending", 0, "NOW(3) + INTERVAL 1 HOUR");
            fill(s, 2, "small", "failed", 0, "NOW(3) - INTERVAL 1 HOUR");
            s.executeUpdate(
                    "INSERT INTO sf_failed_job (job_id, queue, type, payload, attempts, error_class, message)"
                            + " SELECT id, queue, type, payload, attempts, 'java.lang.IllegalStateException', 'boom' FROM sf_job WHERE state = 'failed'");
        }
        queue = JobQueue.create(db); // upgrades V3 to the current schema, in place
    }

    /** Migrations' own configuration, stopped at a version. */
    private static FluentConfiguration flyway(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/steadfast")
                .table("sf_schema_history")
                .baselineOnMigrate(true)
                .baselineVersion("0");
    }

    private static void fill(Statement s, int n, String queue, String state, int priority, String runAt)
            throws SQLException {
        String finished = state.equals("succeeded") || state.equals("failed") ? runAt : "NULL";
        s.executeUpdate(
                "INSERT INTO sf_job (queue, type, payload, priority, state, attempts, max_attempts, run_at, finished_at,"
                        + " last_error) SELECT '" + queue + "', 'noop', '{\"n\":1}', " + priority + ", '" + state
                        + "', "
                        + (state.equals("pending") ? 0 : 1) + ", 3, " + runAt + ", " + finished + ", "
                        + (state.equals("failed") ? "'boom'" : "NULL") + " FROM seq_1_to_" + n);
    }

    @AfterAll
    static void drop() throws SQLException {
        if (db != null) {
            db.close();
        }
        SERVER.execute("DROP DATABASE IF EXISTS " + SCHEMA);
    }

    @Test
    void countsAreExactWhereSmallAndMarkedAndCloseWhereEstimated() throws Exception {
        QueueStats stats = queue.stats();
        assertThat(stats.queues().get("small")).isEqualTo(new QueueCounts(7, 3, 0, 0, 2));
        assertThat(stats.queues().get("small").of("scheduled")).isEqualTo(3);
        QueueCounts bulk = stats.queues().get("bulk");
        assertThat(bulk.estimated()).containsExactlyInAnyOrder("pending", "scheduled", "succeeded", "failed");
        assertClose(bulk.succeeded(), 80_000);
        assertClose(bulk.failed(), 12_000);
        assertClose(bulk.pending() + bulk.scheduled(), 60_000);
        assertClose(bulk.scheduled(), 15_000);
        assertThat(bulk.running()).isZero();
        QueueCounts mail = stats.queues().get("mail");
        assertThat(mail.estimated()).containsExactlyInAnyOrder("pending", "succeeded");
        assertThat(mail.scheduled())
                .as("scheduled jobs are counted exactly where few")
                .isZero();
        assertClose(mail.pending(), 20_000);
        assertThat(stats.total().estimated()).contains("succeeded");
        // the oldest due job of 'bulk' waited about an hour
        assertThat(queue.browser().latencies().get("bulk")).isBetween(Duration.ofMinutes(55), Duration.ofMinutes(61));
    }

    private static void assertClose(long estimate, long actual) {
        assertThat(estimate).as("estimate of %d", actual).isBetween(actual / 2, actual * 2);
    }

    @Test
    void noPathScansTheTable() throws Exception {
        Set<String> statements = captured(() -> {
            queue.stats();
            JobBrowser browser = queue.browser();
            for (JobStatus status : JobStatus.values()) {
                JobPage first = browser.page(JobFilter.all().status(status), null, 50);
                if (first.next() != null) {
                    browser.page(JobFilter.all().status(status), first.next(), 50);
                }
            }
            // by queue, the due and scheduled lists follow an index too; a finished list of one queue reads newest
            // first until it has a page of that queue (ARCHITECTURE.md, "Counting at scale"), so it is not here
            for (JobStatus status : List.of(JobStatus.PENDING, JobStatus.SCHEDULED, JobStatus.RUNNING)) {
                browser.page(JobFilter.all().status(status).queue("bulk"), null, 50);
            }
            browser.failures(JobFilter.all(), null, 50);
            browser.latencies();
            browser.finishedPerMinute(60);
            browser.workers(Duration.ofMinutes(1));
            queue.facts();
            try (QueueGauges gauges = QueueGauges.start(db, new SimpleMeterRegistry(), Duration.ofHours(1))) {
                gauges.sample();
                gauges.sample();
            }
            long tiny = queue.enqueue(JobRequest.of("noop").queue("tiny").build());
            Worker worker = Worker.builder(queue)
                    .queues(List.of("tiny"))
                    .handler(JobHandler.of("noop", Map.class, (ctx, p) -> {}))
                    .pollInterval(Duration.ofMillis(20), Duration.ofMillis(100))
                    .build();
            worker.start();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> queue.browser()
                            .job(tiny)
                            .map(j -> j.status() == JobStatus.SUCCEEDED)
                            .orElse(false));
            worker.stop();
            worker.awaitTermination(Duration.ofSeconds(10));
            Store store = new Store();
            db.read(c -> store.purges().purgeSucceeded(c, Duration.ofDays(3), 1000));
            db.transaction(tx -> store.leases().lockExpiredLeases(tx, 100));
        });
        assertThat(statements).as("statements captured").hasSizeGreaterThan(15);
        List<String> problems = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                try (ResultSet rs = s.executeQuery("EXPLAIN " + sql)) {
                    while (rs.next()) {
                        String table = rs.getString("table");
                        if (table == null || !(table.equals("sf_job") || table.equals("j") || table.equals("f"))) {
                            continue;
                        }
                        String type = rs.getString("type");
                        long rows = rs.getLong("rows");
                        String extra = String.valueOf(rs.getString("Extra"));
                        boolean fullScan = "ALL".equals(type) || "index".equals(type);
                        boolean bigSort = extra.contains("filesort") && rows > ROWS_ESTIMATE_LIMIT;
                        if (fullScan || bigSort) {
                            problems.add(type + " " + rows + " rows " + extra + ": " + sql);
                        }
                    }
                }
            }
        }
        assertThat(problems)
                .as("statements that would scan or sort what they count")
                .isEmpty();
    }

    /**
     * Stranded jobs at 60,000 due jobs: the grouping reads two index entries per queue and type (a loose scan, not one
     * entry per job), each stranded group's count reads at most its cap; no worker alive, no report at all.
     */
    @Test
    void strandedJobsCostSeeksPerQueueAndTypeNotPerJob() throws Exception {
        assertThat(queue.stranded())
                .as("no worker alive: nothing to compare with")
                .isEqualTo(new StrandedReport(0, List.of()));
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement()) {
            // a live worker of 'bulk' that handles another type: every due job here waits for a worker that is not
            // there
            s.executeUpdate("INSERT INTO sf_worker (id, host, queues, started_at, last_heartbeat, types)"
                    + " VALUES ('plans-probe', 'h', 'bulk', NOW(3), NOW(3), 'report')");
            try {
                Store store = new Store();
                s.execute("FLUSH STATUS");
                assertThat(store.census().dueGroups(c, 1000))
                        .extracting(g -> g.queue() + "/" + g.type())
                        .containsExactly("bulk/noop", "mail/noop", "small/noop");
                assertThat(handlerReads(s))
                        .as("index entries read to group 60,000 due jobs: a few seeks per queue, type and state")
                        .isLessThan(100);
                try (ResultSet rs = s.executeQuery(
                        "EXPLAIN SELECT queue, type, MIN(run_at) AS oldest FROM sf_job"
                                + " WHERE state = 'pending' AND run_at <= NOW(3) GROUP BY queue, type ORDER BY queue, type LIMIT 1000")) {
                    rs.next();
                    assertThat(rs.getString("key")).isEqualTo("sf_job_type");
                    assertThat(rs.getString("Extra")).contains("Using index for group-by");
                }
                s.execute("FLUSH STATUS");
                assertThat(store.census().countDue(c, "bulk", "noop", 10_001)).isEqualTo(10_001);
                assertThat(handlerReads(s))
                        .as("a stranded group's count stops at its cap (index entries, then the derived rows)")
                        .isLessThanOrEqualTo(2 * 10_001 + 10);

                StrandedReport report = queue.stranded();
                assertThat(report.liveWorkers()).isEqualTo(1);
                assertThat(report.jobs())
                        .extracting(StrandedJobs::queue, StrandedJobs::type, StrandedJobs::queueServed)
                        .containsExactly(
                                Tuple.tuple("bulk", "noop", true),
                                Tuple.tuple("mail", "noop", false),
                                Tuple.tuple("small", "noop", false));
                StrandedJobs bulk = report.jobs().get(0);
                assertThat(bulk.dueCapped()).as("45,000 due: more than the cap").isTrue();
                assertThat(bulk.oldestWait()).isBetween(Duration.ofMinutes(55), Duration.ofMinutes(61));
                assertThat(bulk.describe())
                        .startsWith("more than 10000 due job(s) of type noop in queue bulk, oldest waiting")
                        .endsWith(": no live worker handles noop in bulk");
                assertThat(report.jobs().get(2).due()).isEqualTo(7);
                assertThat(report.jobs().get(2).describe())
                        .startsWith("7 due job(s) of type noop in queue small, oldest waiting ")
                        .endsWith(": no live worker serves queue small");
            } finally {
                s.executeUpdate("DELETE FROM sf_worker WHERE id = 'plans-probe'");
            }
        }
    }

    private static long handlerReads(Statement s) throws SQLException {
        long reads = 0;
        try (ResultSet rs = s.executeQuery("SHOW SESSION STATUS LIKE 'Handler_read%'")) {
            while (rs.next()) {
                reads += rs.getLong(2);
            }
        }
        return reads;
    }

    /** The statements on {@code sf_job} the server received while {@code action} ran (its general log). */
    private static Set<String> captured(ThrowingRunnable action) throws Exception {
        SERVER.execute(
                "TRUNCATE TABLE mysql.general_log", "SET GLOBAL log_output = 'TABLE'", "SET GLOBAL general_log = 1");
        try {
            action.run();
        } finally {
            SERVER.execute("SET GLOBAL general_log = 0");
        }
        Set<String> statements = new LinkedHashSet<>();
        try (Connection c = SERVER.admin();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT CONVERT(argument USING utf8mb4) AS sql_text FROM mysql.general_log"
                                + " WHERE command_type IN ('Query', 'Execute')")) {
            while (rs.next()) {
                String sql = rs.getString("sql_text").strip();
                String lower = sql.toLowerCase(Locale.ROOT);
                // an INSERT ... VALUES reads no table; INSERT ... SELECT does
                boolean explainable = lower.startsWith("select")
                        || lower.startsWith("update")
                        || lower.startsWith("delete")
                        || lower.startsWith("insert") && lower.contains(" select ");
                if (explainable && lower.contains("sf_job ") || explainable && lower.endsWith("sf_job")) {
                    statements.add(sql);
                }
            }
        }
        SERVER.execute("TRUNCATE TABLE mysql.general_log");
        return statements;
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
