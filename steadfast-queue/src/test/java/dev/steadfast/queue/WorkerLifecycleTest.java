package dev.steadfast.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.jdbc.RetryPolicy;
import dev.steadfast.queue.events.WorkerEvent;
import dev.steadfast.queue.internal.store.Store;
import dev.steadfast.queue.internal.worker.Claimer;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import dev.steadfast.testkit.PrivateMariaDb;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** Shutdown, leases kept alive by heartbeats, outage mode, wake-ups, limits and retention. */
class WorkerLifecycleTest {
    @RegisterExtension
    static final PrivateMariaDb DB = new PrivateMariaDb();

    /** Sleeps as long as the payload says, counting starts. */
    static final class Sleeping implements JobHandler<JsonNode> {
        final AtomicInteger started = new AtomicInteger();
        final CountDownLatch firstStarted = new CountDownLatch(1);

        @Override
        public String type() {
            return "sleep";
        }

        @Override
        public Class<JsonNode> payloadType() {
            return JsonNode.class;
        }

        @Override
        public void handle(JobContext context, JsonNode payload) throws Exception {
            started.incrementAndGet();
            firstStarted.countDown();
            Thread.sleep(payload.path("ms").asLong());
        }
    }

    private static ResilientDatabase open() throws Exception {
        return QueueTestSupport.database(DB.server(), JdbcDriver.MARIADB);
    }

    @Test
    void stopLetsRunningJobsFinishWithinTheGracePeriod() throws Exception {
        String name = QueueTestSupport.uniqueQueue("grace");
        try (ResilientDatabase db = open()) {
            JobQueue queue = JobQueue.create(db);
            queue.enqueue(JobRequest.of("sleep")
                    .queue(name)
                    .payload(Map.of("ms", 1000))
                    .build());
            Sleeping sleep = new Sleeping();
            Worker worker = QueueTestSupport.fastWorker(queue, name)
                    .handler(sleep)
                    .shutdownGrace(Duration.ofSeconds(10))
                    .build();
            worker.start();
            assertThat(sleep.firstStarted.await(20, TimeUnit.SECONDS)).isTrue();
            worker.stop();
            assertThat(worker.health()).isEqualTo(Worker.Health.STOPPING);
            assertThat(worker.awaitTermination(Duration.ofSeconds(20))).isTrue();
            assertThat(queue.stats().queues().get(name).succeeded()).isEqualTo(1);
        }
    }

    @Test
    void jobsStillRunningAfterTheGracePeriodAreReleasedWithoutSpendingAnAttempt() throws Exception {
        String name = QueueTestSupport.uniqueQueue("release");
        try (ResilientDatabase db = open()) {
            JobQueue queue = JobQueue.create(db);
            long id = queue.enqueue(JobRequest.of("sleep")
                    .queue(name)
                    .payload(Map.of("ms", 60_000))
                    .build());
            Sleeping sleep = new Sleeping();
            List<WorkerEvent> events = new CopyOnWriteArrayList<>();
            Worker worker = QueueTestSupport.fastWorker(queue, name)
                    .handler(sleep)
                    .shutdownGrace(Duration.ofMillis(500))
                    .listener(events::add)
                    .build();
            worker.start();
            assertThat(sleep.firstStarted.await(20, TimeUnit.SECONDS)).isTrue();
            worker.stop();
            assertThat(worker.awaitTermination(Duration.ofSeconds(20))).isTrue();
            QueueCounts counts = queue.stats().queues().get(name);
            assertThat(counts.pending()).as("released back to the queue").isEqualTo(1);
            assertThat(DB.server().queryLong("SELECT attempts FROM sf_job WHERE id = " + id))
                    .isZero();
            assertThat(events)
                    .as("the interrupted handler's exception is no outcome of the released job: no retry, no failure")
                    .noneMatch(e -> e instanceof WorkerEvent.JobFinished);
        }
    }

    @Test
    void claimedJobsNoThreadHadStartedAreReleasedAtOnceOnStop() throws Exception {
        String name = QueueTestSupport.uniqueQueue("prefetch");
        try (ResilientDatabase db = open()) {
            JobQueue queue = JobQueue.create(db);
            for (int i = 0; i < 6; i++) {
                queue.enqueue(JobRequest.of("sleep")
                        .queue(name)
                        .payload(Map.of("ms", 1500))
                        .build());
            }
            Sleeping sleep = new Sleeping();
            Worker worker = QueueTestSupport.fastWorker(queue, name)
                    .handler(sleep)
                    .concurrency(1)
                    .batchSize(10)
                    .shutdownGrace(Duration.ofSeconds(10))
                    .build();
            worker.start();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> queue.stats().queues().get(name).running() == 6);
            worker.stop(); // one is running, five were claimed ahead and wait for the only thread
            assertThat(worker.awaitTermination(Duration.ofSeconds(20))).isTrue();
            assertThat(sleep.started).as("only the running job was finished").hasValue(1);
            QueueCounts counts = queue.stats().queues().get(name);
            assertThat(counts.succeeded()).isEqualTo(1);
            assertThat(counts.pending()).isEqualTo(5);
            assertThat(DB.server()
                            .queryLong("SELECT MAX(attempts) FROM sf_job WHERE state = 'pending' AND queue = '" + name
                                    + "'"))
                    .isZero();
        }
    }

    @Test
    void heartbeatsKeepTheLeaseOfALongJobSoNoOtherWorkerTakesIt() throws Exception {
        String name = QueueTestSupport.uniqueQueue("lease");
        try (ResilientDatabase db = open()) {
            JobQueue queue = JobQueue.create(db);
            long id = queue.enqueue(JobRequest.of("sleep")
                    .queue(name)
                    .payload(Map.of("ms", 4000))
                    .build());
            Sleeping first = new Sleeping();
            Sleeping second = new Sleeping();
            Worker a = QueueTestSupport.fastWorker(queue, name)
                    .handler(first)
                    .lease(Duration.ofSeconds(1))
                    .build();
            Worker b = QueueTestSupport.fastWorker(queue, name)
                    .handler(second)
                    .lease(Duration.ofSeconds(1))
                    .build();
            a.start();
            assertThat(first.firstStarted.await(20, TimeUnit.SECONDS)).isTrue();
            b.start();
            try {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> queue.stats().queues().get(name).succeeded() == 1);
            } finally {
                a.stop();
                b.stop();
                a.awaitTermination(Duration.ofSeconds(20));
                b.awaitTermination(Duration.ofSeconds(20));
            }
            assertThat(second.started)
                    .as("a 4 s job outlived four 1 s leases without being taken")
                    .hasValue(0);
            assertThat(DB.server().queryLong("SELECT attempts FROM sf_job WHERE id = " + id))
                    .isEqualTo(1);
        }
    }

    @Test
    void outcomesFinishedDuringAnOutageAreWrittenWhenTheDatabaseReturns() throws Exception {
        String name = QueueTestSupport.uniqueQueue("outage");
        MariaDbServer server = DB.server();
        try (ResilientDatabase db = ResilientDatabase.builder()
                .jdbcUrl(server.url(JdbcDriver.MARIADB))
                .username(server.user())
                .password(server.password())
                .retryPolicy(RetryPolicy.DEFAULT.withDeadline(Duration.ofSeconds(2)))
                .build()) {
            JobQueue queue = JobQueue.create(db);
            long id = queue.enqueue(JobRequest.of("sleep")
                    .queue(name)
                    .payload(Map.of("ms", 1500))
                    .build());
            Sleeping sleep = new Sleeping();
            List<WorkerEvent> outageEvents = new CopyOnWriteArrayList<>();
            Worker worker = QueueTestSupport.fastWorker(queue, name)
                    .handler(sleep)
                    .lease(Duration.ofSeconds(60))
                    .listener(e -> {
                        if (e instanceof WorkerEvent.DatabaseDown || e instanceof WorkerEvent.DatabaseUp) {
                            outageEvents.add(e);
                        }
                    })
                    .listener(e -> {
                        throw new IllegalStateException("a broken listener must not disturb the worker");
                    })
                    .build();
            worker.start();
            try {
                assertThat(sleep.firstStarted.await(20, TimeUnit.SECONDS)).isTrue();
                assertThat(worker.currentJobs()).containsExactly(id);
                server.stop(); // the job finishes while the database is away
                await().atMost(Duration.ofSeconds(20)).until(() -> worker.health() == Worker.Health.DEGRADED);
                server.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> worker.health() == Worker.Health.RUNNING);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> server.queryLong(
                                        "SELECT COUNT(*) FROM sf_job WHERE id = " + id + " AND state = 'succeeded'")
                                == 1);
            } finally {
                if (!server.isRunning()) {
                    server.start();
                }
                worker.stop();
                worker.awaitTermination(Duration.ofSeconds(20));
            }
            assertThat(sleep.started).as("the job ran once; its outcome waited").hasValue(1);
            assertThat(outageEvents)
                    .as("one event when the database went, one when it came back")
                    .hasSize(2)
                    .first()
                    .isInstanceOf(WorkerEvent.DatabaseDown.class);
            assertThat(outageEvents.get(1))
                    .isInstanceOfSatisfying(
                            WorkerEvent.DatabaseUp.class,
                            up -> assertThat(up.downtime()).isPositive());
            assertThat(worker.databaseDownSince()).isEmpty();
        }
    }

    @Test
    void enqueueInTheSameJvmWakesAnIdleWorkerAtOnce() throws Exception {
        String name = QueueTestSupport.uniqueQueue("wake");
        try (ResilientDatabase db = open()) {
            JobQueue queue = JobQueue.create(db);
            Handlers.Recording noop = new Handlers.Recording("noop");
            Worker worker = Worker.builder(queue)
                    .queues(List.of(name))
                    .handler(noop)
                    .pollInterval(Duration.ofSeconds(20), Duration.ofSeconds(20))
                    .build();
            worker.start();
            try {
                // once its first claim is done the worker sleeps for 20 s (a claim is timed when it returns)
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    var claims =
                            db.meterRegistry().find("steadfast.claim.latency").timer();
                    return claims != null && claims.count() >= 1;
                });
                queue.enqueue(JobRequest.of("noop").queue(name).build());
                // Not a speed claim: without the wake-up the job would wait for the 20 s poll.
                await().atMost(Duration.ofSeconds(10)).until(() -> noop.ran.size() == 1);
            } finally {
                worker.stop();
                worker.awaitTermination(Duration.ofSeconds(20));
            }
        }
    }

    @Test
    void maxJobsStopsTheWorkerAfterThatManyJobs() throws Exception {
        String name = QueueTestSupport.uniqueQueue("max");
        try (ResilientDatabase db = open()) {
            JobQueue queue = JobQueue.create(db);
            for (int i = 0; i < 5; i++) {
                queue.enqueue(JobRequest.of("noop").queue(name).build());
            }
            Handlers.Recording noop = new Handlers.Recording("noop");
            Worker worker = QueueTestSupport.fastWorker(queue, name)
                    .handler(noop)
                    .maxJobs(3)
                    .build();
            worker.start();
            assertThat(worker.awaitTermination(Duration.ofSeconds(30))).isTrue();
            assertThat(noop.ran).hasSize(3);
            assertThat(queue.stats().queues().get(name).pending()).isEqualTo(2);
        }
    }

    @Test
    void maxTimeStopsTheWorker() throws Exception {
        String name = QueueTestSupport.uniqueQueue("maxtime");
        try (ResilientDatabase db = open()) {
            JobQueue queue = JobQueue.create(db);
            Worker worker = QueueTestSupport.fastWorker(queue, name)
                    .handler(new Handlers.Recording("noop"))
                    .maxTime(Duration.ofSeconds(1))
                    .build();
            worker.start();
            assertThat(worker.awaitTermination(Duration.ofSeconds(20))).isTrue();
            assertThat(worker.health()).isEqualTo(Worker.Health.STOPPED);
        }
    }

    @Test
    void succeededJobsArePurgedAfterTheRetentionPeriod() throws Exception {
        String name = QueueTestSupport.uniqueQueue("purge");
        try (ResilientDatabase db = open()) {
            JobQueue queue = JobQueue.create(db);
            long old = queue.enqueue(JobRequest.of("noop").queue(name).build());
            long recent = queue.enqueue(JobRequest.of("noop").queue(name).build());
            // as real jobs: run (run_at) shortly before they finished
            DB.server()
                    .execute(
                            "UPDATE sf_job SET state = 'succeeded', run_at = NOW(3) - INTERVAL 25 HOUR - INTERVAL 2 SECOND,"
                                    + " finished_at = NOW(3) - INTERVAL 25 HOUR WHERE id = " + old,
                            "UPDATE sf_job SET state = 'succeeded', run_at = NOW(3) - INTERVAL 1 HOUR - INTERVAL 2 SECOND,"
                                    + " finished_at = NOW(3) - INTERVAL 1 HOUR WHERE id = " + recent);
            int purged = db.read(c -> new Store().purges().purgeSucceeded(c, Duration.ofHours(24), 1000));
            assertThat(purged).isEqualTo(1);
            assertThat(DB.server().queryLong("SELECT COUNT(*) FROM sf_job WHERE id = " + old))
                    .isZero();
            assertThat(DB.server().queryLong("SELECT COUNT(*) FROM sf_job WHERE id = " + recent))
                    .isEqualTo(1);
        }
    }

    @Test
    void failedJobsArePurgedAfterTheirRetentionAndBeyondTheCapOldestFirst() throws Exception {
        String name = QueueTestSupport.uniqueQueue("purge-failed");
        try (ResilientDatabase db = open()) {
            JobQueue queue = JobQueue.create(db);
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ids.add(queue.enqueue(JobRequest.of("noop").queue(name).build()));
            }
            for (long id : ids) {
                DB.server()
                        .execute(
                                "UPDATE sf_job SET state = 'failed', run_at = NOW(3) - INTERVAL 1 HOUR,"
                                        + " finished_at = NOW(3) - INTERVAL 1 HOUR WHERE id = " + id,
                                "INSERT INTO sf_failed_job (job_id, queue, type, attempts, error_class) VALUES (" + id
                                        + ", '" + name + "', 'noop', 1, 'x.Boom')");
            }
            DB.server()
                    .execute(
                            "UPDATE sf_job SET run_at = NOW(3) - INTERVAL 31 DAY, finished_at = NOW(3) - INTERVAL 31 DAY"
                                    + " WHERE id = " + ids.get(3));
            Store store = new Store();
            int byAge = db.read(c -> store.purges().purgeFailed(c, Duration.ofDays(30), 1000));
            assertThat(byAge).isEqualTo(1);
            // the newest failed jobs of the server are this test's: keeping two, its oldest one left goes (and any
            // older)
            long last = db.<Long>read(c -> store.purges().failedBeyond(c, 2));
            assertThat(last).isEqualTo(ids.get(0));
            int overCap = db.read(c -> store.purges().purgeFailedUpTo(c, last, 1000));
            assertThat(overCap).isGreaterThanOrEqualTo(1);
            assertThat(DB.server().queryLong("SELECT COUNT(*) FROM sf_job WHERE queue = '" + name + "'"))
                    .isEqualTo(2);
            assertThat(DB.server().queryLong("SELECT COUNT(*) FROM sf_failed_job WHERE queue = '" + name + "'"))
                    .as("the failed-job log rows go with their jobs")
                    .isEqualTo(2);
            long beyond = db.<Long>read(c -> store.purges().failedBeyond(c, 2));
            assertThat(beyond).isZero();
        }
    }

    /**
     * A SELECT-only account: the worker is refused at start, in one exception naming the GRANT, before it says it
     * started (it used to start, then log a stack trace at every poll and never stop when empty). Given the GRANT,
     * table by table, it runs the job; a privilege revoked under it later is one line without a stack trace.
     */
    @Test
    void aWorkerWhoseUserCannotWriteIsRefusedAtStart() throws Exception {
        String name = QueueTestSupport.uniqueQueue("readonly");
        String user = "ro_" + Long.toHexString(System.nanoTime());
        String schema = DB.server().url(JdbcDriver.MARIADB).replaceAll(".*/([^/?]+)(\\?.*)?$", "$1");
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger claimerLog = (Logger) LoggerFactory.getLogger(Claimer.class);
        log.start();
        claimerLog.addAppender(log);
        try (ResilientDatabase admin = open()) {
            JobQueue adminQueue = JobQueue.create(admin);
            long id = adminQueue.enqueue(JobRequest.of("noop").queue(name).build());
            DB.server()
                    .execute(
                            "CREATE USER '" + user + "'@'%' IDENTIFIED BY 'ro-pw-0123456789'",
                            "GRANT SELECT ON `" + schema + "`.* TO '" + user + "'@'%'");
            try (ResilientDatabase db = ResilientDatabase.builder()
                    .jdbcUrl(DB.server().url(JdbcDriver.MARIADB))
                    .username(user)
                    .password("ro-pw-0123456789")
                    .createMarkerTable(false)
                    .build()) {
                JobQueue queue = JobQueue.existing(db);
                Handlers.Recording noop = new Handlers.Recording("noop");
                Worker refused =
                        QueueTestSupport.fastWorker(queue, name).handler(noop).build();
                assertThat(Assertions.catchThrowable(refused::start))
                        .isInstanceOf(MissingPrivilegeException.class)
                        .hasMessageContaining("database user '" + user + "'@'%' cannot write the queue's tables (")
                        .hasMessageContaining("command denied")
                        .hasMessageNotContaining("conn=")
                        .hasMessageContaining(
                                "GRANT SELECT, INSERT, UPDATE, DELETE ON `" + schema + "`.* TO '" + user + "'@'%'");
                assertThat(refused.health()).isEqualTo(Worker.Health.NEW);
                assertThat(queue.browser().job(id).orElseThrow().status()).isEqualTo(JobStatus.PENDING);
                assertThat(DB.server().queryLong("SELECT COUNT(*) FROM sf_worker WHERE id = '" + refused.id() + "'"))
                        .isZero();

                // table-level grants: they apply to open connections at once, so the revoke below is seen
                List<String> tables = new ArrayList<>();
                try (Connection c = admin.dataSource().getConnection();
                        ResultSet rs = c.createStatement()
                                .executeQuery(
                                        "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()"
                                                + " AND table_name LIKE 'sf\\_%'")) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
                    }
                }
                for (String table : tables) {
                    DB.server()
                            .execute("GRANT INSERT, UPDATE, DELETE ON `" + schema + "`.`" + table + "` TO '" + user
                                    + "'@'%'");
                }
                assertThat(queue.missingWritePrivilege()).isEmpty();
                Worker worker =
                        QueueTestSupport.fastWorker(queue, name).handler(noop).build();
                worker.start();
                try {
                    await().atMost(Duration.ofSeconds(30)).until(() -> noop.ran.contains(id));
                    DB.server().execute("REVOKE UPDATE ON `" + schema + "`.`sf_job` FROM '" + user + "'@'%'");
                    long next =
                            adminQueue.enqueue(JobRequest.of("noop").queue(name).build());
                    await().atMost(Duration.ofSeconds(30))
                            .until(() -> log.list.stream()
                                    .anyMatch(e -> e.getFormattedMessage().contains("claiming jobs failed")));
                    List<ILoggingEvent> claimErrors = log.list.stream()
                            .filter(e -> e.getFormattedMessage().contains("claiming jobs failed"))
                            .toList();
                    assertThat(claimErrors).first().satisfies(e -> {
                        assertThat(e.getThrowableProxy())
                                .as("no stack trace for a missing privilege")
                                .isNull();
                        assertThat(e.getFormattedMessage())
                                .contains("UPDATE command denied")
                                .doesNotContain("conn=")
                                .doesNotContain("Exception")
                                .contains("GRANT SELECT, INSERT, UPDATE, DELETE ON `" + schema + "`");
                    });
                    assertThat(noop.ran).doesNotContain(next);
                } finally {
                    worker.stop();
                    assertThat(worker.awaitTermination(Duration.ofSeconds(20))).isTrue();
                }
            }
        } finally {
            claimerLog.detachAppender(log);
            DB.server().execute("DROP USER IF EXISTS '" + user + "'@'%'");
        }
    }
}
