package dev.steadfast.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What an attempt leaves besides its outcome, on a real server: results (stored with the success, an oversized one
 * refused without a retry), progress and log (visible while the job runs and after, written without a statement per
 * call), durable steps (run once across attempts; a transactional one fenced by the lease), snooze and a chosen retry
 * delay.
 */
@ExtendWith(SharedQueue.class)
class AttemptFeaturesTest {
    private static final MariaDbServer SERVER = MariaDbServer.shared();
    private static final ObjectMapper JSON = new ObjectMapper();

    @SharedQueue.Open
    private static ResilientDatabase db;

    @SharedQueue.Open
    private static JobQueue queue;

    record Order(String id) {}

    @ParameterizedTest
    @EnumSource(JdbcDriver.class)
    void resultsAreStoredWithTheSuccessAndAnOversizedOneFailsTheJobWithoutARetry(JdbcDriver driver) throws Exception {
        String name = QueueTestSupport.uniqueQueue("result");
        try (ResilientDatabase other = QueueTestSupport.database(SERVER, driver)) {
            JobQueue q = JobQueue.create(other);
            long returned = q.enqueue(JobRequest.of("charge")
                    .queue(name)
                    .payload(Map.of("id", "o-1"))
                    .build());
            long none = q.enqueue(JobRequest.of("quiet").queue(name).build());
            long set = q.enqueue(JobRequest.of("setter").queue(name).build());
            long huge =
                    q.enqueue(JobRequest.of("huge").queue(name).maxAttempts(3).build());
            Worker worker = QueueTestSupport.fastWorker(q, name)
                    .maxResultBytes(100)
                    .handler(JobHandler.returning(
                            "charge", Order.class, (ctx, order) -> Map.of("charge", "ch_" + order.id(), "cents", 1250)))
                    .handler(JobHandler.of("quiet", JsonNode.class, (ctx, p) -> {}))
                    .handler(JobHandler.of("setter", JsonNode.class, (ctx, p) -> ctx.result(List.of(1, 2, 3))))
                    .handler(JobHandler.returning("huge", JsonNode.class, (ctx, p) -> "x".repeat(200)))
                    .build();
            worker.start();
            try {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> q.stats().queues().get(name).succeeded() == 3
                                && q.stats().queues().get(name).failed() == 1);
            } finally {
                worker.stop();
                assertThat(worker.awaitTermination(Duration.ofSeconds(20))).isTrue();
            }
            assertThat(JSON.readTree(q.browser().result(returned).orElseThrow()))
                    .isEqualTo(JSON.readTree("{\"charge\":\"ch_o-1\",\"cents\":1250}"));
            assertThat(q.browser().result(none)).isEmpty();
            assertThat(q.browser().result(set)).contains("[1,2,3]");
            JobView failed = q.browser().job(huge).orElseThrow();
            assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
            assertThat(failed.attempts())
                    .as("not retried: it would be as large again")
                    .isEqualTo(1);
            assertThat(failed.lastError()).contains("is 202 bytes, over the worker's limit of 100 bytes");
            assertThat(q.browser().result(huge)).isEmpty();
            // the store reads many at once (for the jobs that depend on them)
            Map<Long, String> many = other.read(c -> q.store().results().read(c, List.of(returned, none, set)));
            assertThat(many).containsOnlyKeys(returned, set);
        }
    }

    @Test
    void progressAndLogAreVisibleWhileTheJobRunsAndAfter() throws Exception {
        String name = QueueTestSupport.uniqueQueue("progress");
        CountDownLatch proceed = new CountDownLatch(1);
        long id = queue.enqueue(JobRequest.of("long").queue(name).build());
        Worker worker = QueueTestSupport.fastWorker(queue, name)
                .lease(Duration.ofMillis(1500)) // a heartbeat every 500 ms
                .handler(JobHandler.of("long", JsonNode.class, (ctx, p) -> {
                    ctx.progress(0.25, "a quarter");
                    ctx.progress(0.5, "half way");
                    ctx.log("first line");
                    ctx.log("second line");
                    assertThat(proceed.await(30, TimeUnit.SECONDS)).isTrue();
                    ctx.progress(1.0, "done");
                    ctx.log("last line");
                }))
                .build();
        worker.start();
        try {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> queue.browser().progress(id).isPresent()
                            && !queue.browser().logs(id).isEmpty());
            JobProgress running = queue.browser().progress(id).orElseThrow();
            assertThat(running.fraction()).isEqualTo(0.5);
            assertThat(running.message()).isEqualTo("half way");
            assertThat(queue.browser().job(id).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
            assertThat(queue.browser().logs(id)).singleElement().satisfies(log -> {
                assertThat(log.attempt()).isEqualTo(1);
                assertThat(log.text()).isEqualTo("first line\nsecond line\n");
            });
            proceed.countDown();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> queue.browser().job(id).orElseThrow().status() == JobStatus.SUCCEEDED);
        } finally {
            proceed.countDown();
            worker.stop();
            assertThat(worker.awaitTermination(Duration.ofSeconds(20))).isTrue();
        }
        JobProgress done = queue.browser().progress(id).orElseThrow();
        assertThat(done.fraction()).isEqualTo(1.0);
        assertThat(done.message()).isEqualTo("done");
        JobLog log = queue.browser().logs(id).get(0);
        assertThat(log.text()).isEqualTo("first line\nsecond line\nlast line\n");
        assertThat(log.bytes()).isEqualTo(log.text().length());
    }

    /**
     * The measure: 10,000 progress() and 10,000 log() calls cost the statements of one write (an UPDATE and an INSERT,
     * in the success's transaction) plus at most two per heartbeat while the job runs, against a job that says nothing.
     */
    @Test
    void progressAndLogCostNoStatementPerCall() throws Exception {
        long quiet = statementsOfOneJob(ctx -> {});
        long chatty = statementsOfOneJob(ctx -> {
            for (int i = 1; i <= 10_000; i++) {
                ctx.progress(i / 10_000.0, "row " + i);
                ctx.log("row " + i);
            }
        });
        System.out.printf(
                "statements (Com_update + Com_insert, whole server) of a job: %d saying nothing, %d with 10,000"
                        + " progress() and 10,000 log() calls%n",
                quiet, chatty);
        // a heartbeat or a housekeeping pass may fall into either run: a few statements of noise, not 20,000
        assertThat(chatty - quiet).isLessThan(20);
    }

    private long statementsOfOneJob(Saying body) throws Exception {
        String name = QueueTestSupport.uniqueQueue("measure");
        long id = queue.enqueue(JobRequest.of("say").queue(name).build());
        Worker worker = QueueTestSupport.fastWorker(queue, name)
                .listenForWakeUps(false)
                .handler(JobHandler.of("say", JsonNode.class, (ctx, p) -> body.run(ctx)))
                .build();
        long before = writes();
        worker.start();
        try {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> queue.browser().job(id).orElseThrow().status() == JobStatus.SUCCEEDED);
            return writes() - before;
        } finally {
            worker.stop();
            assertThat(worker.awaitTermination(Duration.ofSeconds(20))).isTrue();
        }
    }

    /** What a handler of the measure says. */
    @FunctionalInterface
    interface Saying {
        void run(JobContext context);
    }

    private static long writes() throws Exception {
        return db.read(c -> {
            long n = 0;
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS WHERE Variable_name IN ('Com_update',"
                            + " 'Com_insert', 'Com_update_multi', 'Com_insert_select')")) {
                while (rs.next()) {
                    n += rs.getLong(2);
                }
            }
            return n;
        });
    }

    @ParameterizedTest
    @EnumSource(JdbcDriver.class)
    void aStepRunsOnceAcrossThreeAttemptsAndATransactionalStepCommitsWithItsRecord(JdbcDriver driver) throws Exception {
        String name = QueueTestSupport.uniqueQueue("steps");
        String effects = "step_effects_" + Long.toHexString(System.nanoTime());
        db.read(c -> {
            try (Statement s = c.createStatement()) {
                s.execute(
                        "CREATE TABLE " + effects + " (id INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(20) NOT NULL)");
            }
            return null;
        });
        try (ResilientDatabase other = QueueTestSupport.database(SERVER, driver)) {
            JobQueue q = JobQueue.create(other);
            long id =
                    q.enqueue(JobRequest.of("order").queue(name).maxAttempts(3).build());
            List<Long> charges = new CopyOnWriteArrayList<>();
            List<Integer> invoices = new CopyOnWriteArrayList<>();
            AtomicInteger brokenOnce = new AtomicInteger();
            Worker worker = QueueTestSupport.fastWorker(q, name)
                    .handler(JobHandler.of("order", JsonNode.class, (ctx, p) -> {
                        charges.add(ctx.step("charge", Long.class, () -> {
                            insert(other, effects, "charge"); // an effect outside the step's record
                            return 4242L;
                        }));
                        invoices.add(ctx.step("invoice", Integer.class, tx -> {
                            insert(tx, effects, "invoice");
                            if (brokenOnce.getAndIncrement() == 0) {
                                throw new IllegalStateException("invoice service down"); // rolls its insert back
                            }
                            return 7;
                        }));
                        if (ctx.attempt() < 3) {
                            throw new IllegalStateException("failing after the steps, attempt " + ctx.attempt());
                        }
                    }))
                    .build();
            worker.start();
            try {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> q.browser().job(id).orElseThrow().status() == JobStatus.SUCCEEDED);
            } finally {
                worker.stop();
                assertThat(worker.awaitTermination(Duration.ofSeconds(20))).isTrue();
            }
            assertThat(q.browser().job(id).orElseThrow().attempts()).isEqualTo(3);
            assertThat(count(effects, "charge"))
                    .as("the step ran once across three attempts")
                    .isEqualTo(1);
            assertThat(count(effects, "invoice"))
                    .as("the transactional step's failed run rolled back, its second committed with its record")
                    .isEqualTo(1);
            assertThat(charges).containsExactly(4242L, 4242L, 4242L);
            assertThat(invoices).containsExactly(7, 7);
        }
    }

    /**
     * Through connections KILLed every 50-150 ms (a few dozen per driver): every job's transactional step commits its effect once, and every job
     * has its result and its last progress, stored with its success.
     */
    @ParameterizedTest
    @EnumSource(JdbcDriver.class)
    void stepsResultsAndProgressHoldThroughKilledConnections(JdbcDriver driver) throws Exception {
        int jobs = 200;
        String name = QueueTestSupport.uniqueQueue("kills");
        String effects = "step_kills_" + Long.toHexString(System.nanoTime());
        db.read(c -> {
            try (Statement s = c.createStatement()) {
                s.execute(
                        "CREATE TABLE " + effects + " (id INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(20) NOT NULL)");
            }
            return null;
        });
        try (ResilientDatabase other = QueueTestSupport.database(SERVER, driver)) {
            JobQueue q = JobQueue.create(other);
            List<JobRequest> requests = new java.util.ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                requests.add(JobRequest.of("effect").queue(name).maxAttempts(50).build());
            }
            List<Long> ids = q.enqueueAll(requests);
            Worker worker = QueueTestSupport.fastWorker(q, name)
                    .lease(Duration.ofSeconds(2))
                    .concurrency(4)
                    .handler(JobHandler.returning("effect", JsonNode.class, (ctx, p) -> {
                        ctx.step("effect", tx -> insert(tx, effects, Long.toString(ctx.jobId())));
                        ctx.progress(0.5, "half");
                        Thread.sleep(50); // the work of the job: the run lasts long enough for a few dozen KILLs
                        ctx.progress(1.0, "done");
                        ctx.log("ran attempt " + ctx.attempt());
                        return Map.of("job", ctx.jobId());
                    }))
                    .build();
            java.util.concurrent.atomic.AtomicBoolean chaos = new java.util.concurrent.atomic.AtomicBoolean(true);
            AtomicInteger kills = new AtomicInteger();
            Thread killer = new Thread(() -> {
                java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
                while (chaos.get()) {
                    try {
                        Thread.sleep(50 + random.nextInt(100)); // the pace of the fault injector
                        List<Long> connections = SERVER.connectionIds();
                        if (!connections.isEmpty()
                                && SERVER.killConnection(connections.get(random.nextInt(connections.size())))) {
                            kills.incrementAndGet();
                        }
                    } catch (InterruptedException e) {
                        return;
                    } catch (java.sql.SQLException | RuntimeException e) {
                        // keep going
                    }
                }
            });
            worker.start();
            killer.start();
            try {
                await().atMost(Duration.ofSeconds(120))
                        .until(() -> q.stats().queues().get(name).succeeded() == jobs);
            } finally {
                chaos.set(false);
                killer.interrupt();
                killer.join();
                worker.stop();
                assertThat(worker.awaitTermination(Duration.ofSeconds(20))).isTrue();
            }
            System.out.printf("%s: %d jobs through %d connection KILLs%n", driver, jobs, kills.get());
            long distinct = db.read(c -> q(c, "SELECT COUNT(DISTINCT what) FROM " + effects));
            long all = db.read(c -> q(c, "SELECT COUNT(*) FROM " + effects));
            assertThat(distinct).isEqualTo(jobs);
            assertThat(all).as("each job's step committed its effect once").isEqualTo(jobs);
            Map<Long, String> results = other.read(c -> q.store().results().read(c, ids));
            assertThat(results).hasSize(jobs);
            for (long id : ids) {
                assertThat(JSON.readTree(results.get(id)).path("job").asLong()).isEqualTo(id);
                assertThat(q.browser().progress(id).orElseThrow().fraction()).isEqualTo(1.0);
            }
        }
    }

    @Test
    void aTransactionalStepOfAWorkerThatLostItsLeaseCommitsNothing() throws Exception {
        String name = QueueTestSupport.uniqueQueue("fence");
        String effects = "step_fence_" + Long.toHexString(System.nanoTime());
        db.read(c -> {
            try (Statement s = c.createStatement()) {
                s.execute(
                        "CREATE TABLE " + effects + " (id INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(20) NOT NULL)");
            }
            return null;
        });
        long id = queue.enqueue(JobRequest.of("fenced").queue(name).build());
        List<Throwable> thrown = new CopyOnWriteArrayList<>();
        CountDownLatch ran = new CountDownLatch(1);
        Worker worker = QueueTestSupport.fastWorker(queue, name)
                .handler(JobHandler.of("fenced", JsonNode.class, (ctx, p) -> {
                    // another worker took the job over (its lease expired): the token is no longer this attempt's
                    db.read(c -> {
                        try (PreparedStatement s =
                                c.prepareStatement("UPDATE sf_job SET lease_token = lease_token + 1 WHERE id = ?")) {
                            s.setLong(1, ctx.jobId());
                            return s.executeUpdate();
                        }
                    });
                    try {
                        ctx.step("effect", tx -> insert(tx, effects, "effect"));
                    } catch (RuntimeException e) {
                        thrown.add(e);
                        throw e;
                    } finally {
                        ran.countDown();
                    }
                }))
                .build();
        worker.start();
        try {
            assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            worker.stop();
            assertThat(worker.awaitTermination(Duration.ofSeconds(20))).isTrue();
        }
        assertThat(thrown)
                .singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains("lease of job " + id));
        assertThat(count(effects, "effect"))
                .as("its effect rolled back with its refused record")
                .isZero();
        long steps = db.read(c -> q(c, "SELECT COUNT(*) FROM sf_job_step WHERE job_id = " + id));
        assertThat(steps).as("nor its record").isZero();
    }

    @Test
    void aSnoozeRunsTheJobAgainLaterWithoutCountingAnAttempt() throws Exception {
        String name = QueueTestSupport.uniqueQueue("snooze");
        long id =
                queue.enqueue(JobRequest.of("polite").queue(name).maxAttempts(1).build());
        AtomicInteger runs = new AtomicInteger();
        Worker worker = QueueTestSupport.fastWorker(queue, name)
                .handler(JobHandler.of("polite", JsonNode.class, (ctx, p) -> {
                    if (runs.incrementAndGet() < 3) {
                        ctx.snooze(Duration.ofMillis(700)); // e.g. an HTTP 429's Retry-After
                    }
                }))
                .build();
        worker.start();
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> queue.browser().job(id).orElseThrow().status() == JobStatus.SUCCEEDED);
        } finally {
            worker.stop();
            assertThat(worker.awaitTermination(Duration.ofSeconds(20))).isTrue();
        }
        JobView job = queue.browser().job(id).orElseThrow();
        assertThat(runs).hasValue(3);
        assertThat(job.attempts())
                .as("two snoozes did not use up its one attempt")
                .isEqualTo(1);
        assertThat(job.history()).extracting(JobAttempt::outcome).containsExactly("snoozed", "snoozed", "succeeded");
        assertThat(job.history()).extracting(JobAttempt::number).containsExactly(1, 1, 1);
        assertThat(job.lastError()).isNull();
        for (int i = 1; i < 3; i++) {
            assertThat(Duration.between(
                            job.history().get(i - 1).startedAt(),
                            job.history().get(i).startedAt()))
                    .as("it ran again after its snooze, not before")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(700));
        }
    }

    @Test
    void aHandlerChoosesItsRetryDelayAndTheAttemptCounts() throws Exception {
        String name = QueueTestSupport.uniqueQueue("retryafter");
        long id = queue.enqueue(
                JobRequest.of("limited").queue(name).maxAttempts(3).build());
        Worker worker = QueueTestSupport.fastWorker(queue, name) // its backoff: 100 ms
                .handler(JobHandler.of("limited", JsonNode.class, (ctx, p) -> {
                    if (ctx.attempt() == 1) {
                        throw new RetryAfter(
                                Duration.ofMillis(1500), new IllegalStateException("429 Too Many Requests"));
                    }
                }))
                .build();
        worker.start();
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> queue.browser().job(id).orElseThrow().status() == JobStatus.SUCCEEDED);
        } finally {
            worker.stop();
            assertThat(worker.awaitTermination(Duration.ofSeconds(20))).isTrue();
        }
        JobView job = queue.browser().job(id).orElseThrow();
        assertThat(job.attempts()).isEqualTo(2);
        assertThat(job.history()).extracting(JobAttempt::outcome).containsExactly("retried", "succeeded");
        assertThat(job.history().get(0).error()).contains("429 Too Many Requests");
        assertThat(Duration.between(
                        job.history().get(0).startedAt(), job.history().get(1).startedAt()))
                .as("the handler's delay, not the 100 ms backoff")
                .isGreaterThanOrEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void aContextMadeByATestKeepsStepsInMemory() throws Exception {
        JobContext ctx = new JobContext(1, "q", "t", 1, 3, "w");
        AtomicInteger runs = new AtomicInteger();
        assertThat(ctx.step("a", Integer.class, runs::incrementAndGet)).isEqualTo(1);
        assertThat(ctx.step("a", Integer.class, runs::incrementAndGet)).isEqualTo(1);
        ctx.progress(0.5, "half");
        ctx.log("a line");
        ctx.result(Map.of("ok", true));
        assertThat(runs).hasValue(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ctx.progress(1.5, "too far"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("progress must be a fraction from 0 to 1, was 1.5");
    }

    private static int insert(ResilientDatabase on, String table, String what) throws Exception {
        return on.transaction(tx -> insert(tx, table, what));
    }

    private static int insert(Connection tx, String table, String what) throws java.sql.SQLException {
        try (PreparedStatement s = tx.prepareStatement("INSERT INTO " + table + " (what) VALUES (?)")) {
            s.setString(1, what);
            return s.executeUpdate();
        }
    }

    private static long count(String table, String what) throws Exception {
        return db.read(c -> q(c, "SELECT COUNT(*) FROM " + table + " WHERE what = '" + what + "'"));
    }

    private static long q(Connection c, String sql) throws java.sql.SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
