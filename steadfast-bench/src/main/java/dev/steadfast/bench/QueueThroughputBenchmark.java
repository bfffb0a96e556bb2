package dev.steadfast.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.JobRequest;
import dev.steadfast.queue.Worker;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * No-op job throughput, enqueue throughput and pickup latency of Steadfast (default worker settings), db-scheduler
 * (one-time tasks, fetch polling: its lock-and-fetch mode refuses MariaDB), JobRunr ({@code MariaDbStorageProvider})
 * and a hand-written SKIP LOCKED claim-and-complete loop (the ceiling), in one run on one embedded MariaDB, 8 worker
 * threads each, contenders alternated within each round, medians over the rounds after a warm-up round.
 *
 * <p>Arguments: {@code [jobs] [latencySamples] [rounds] [part]} (default 20000 200 3 all; part: all, processing,
 * enqueue or pickup).
 */
public final class QueueThroughputBenchmark {
    private static final int THREADS = 8;

    private QueueThroughputBenchmark() {}

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        String part = args.length > 3 ? args[3] : "all"; // all, processing, enqueue or pickup
        try (MariaDbServer server = MariaDbServer.launch()) {
            try (Connection c = server.admin()) {
                System.out.println("server: " + c.getMetaData().getDatabaseProductVersion() + ", java "
                        + System.getProperty("java.version") + ", "
                        + Runtime.getRuntime().availableProcessors() + " cores, "
                        + jobs + " no-op jobs, " + THREADS + " threads each, " + rounds
                        + " rounds after a warm-up round");
            }
            createDbSchedulerTable(server);
            try (ResilientDatabase db = open(server)) {
                JobQueue.create(db); // the sf_ schema
            }
            try (JobRunrContender jobRunr = new JobRunrContender(plainPool(server))) {
                if (part.equals("all") || part.equals("processing")) {
                    processing(server, jobRunr, jobs, rounds);
                }
                if (part.equals("all") || part.equals("enqueue")) {
                    enqueueThroughput(server, jobRunr, 2000, jobs, rounds);
                }
            }
            if (part.equals("all") || part.equals("pickup")) {
                pickupLatency(server, samples);
            }
        }
        System.exit(0);
    }

    /** Each round drains the same number of jobs with each contender in turn; round 0 warms the JIT and is not counted. */
    private static void processing(MariaDbServer server, JobRunrContender jobRunr, int jobs, int rounds)
            throws Exception {
        List<double[]> measured = new ArrayList<>();
        for (int round = 0; round <= rounds; round++) {
            double steadfast = steadfastThroughput(server, jobs, 1);
            double dbScheduler = dbSchedulerThroughput(server, jobs, 1);
            jobRunr.clear();
            jobRunr.enqueueStream(jobs);
            double jobRunrRate = jobRunr.drain(jobs, THREADS);
            double raw = rawSkipLockedCeiling(server, jobs, 100);
            System.out.printf(
                    Locale.ROOT,
                    "processing round %d%s: Steadfast %.0f, db-scheduler %.0f, JobRunr %.0f, raw loop %.0f jobs/s%n",
                    round,
                    round == 0 ? " (warm-up)" : "",
                    steadfast,
                    dbScheduler,
                    jobRunrRate,
                    raw);
            if (round > 0) {
                measured.add(new double[] {steadfast, dbScheduler, jobRunrRate, raw});
            }
        }
        System.out.println();
        System.out.println(
                "| round | Steadfast jobs/s | db-scheduler | JobRunr | raw SKIP LOCKED loop | Steadfast / raw loop"
                        + " | Steadfast / db-scheduler | Steadfast / JobRunr |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (int i = 0; i < measured.size(); i++) {
            double[] m = measured.get(i);
            System.out.printf(
                    Locale.ROOT,
                    "| %d | %.0f | %.0f | %.0f | %.0f | %.2f | %.2f | %.2f |%n",
                    i + 1,
                    m[0],
                    m[1],
                    m[2],
                    m[3],
                    m[0] / m[3],
                    m[0] / m[1],
                    m[0] / m[2]);
        }
        System.out.printf(
                Locale.ROOT,
                "| median | %.0f | %.0f | %.0f | %.0f | %.2f | %.2f | %.2f |%n",
                median(measured, m -> m[0]),
                median(measured, m -> m[1]),
                median(measured, m -> m[2]),
                median(measured, m -> m[3]),
                median(measured, m -> m[0] / m[3]),
                median(measured, m -> m[0] / m[1]),
                median(measured, m -> m[0] / m[2]));
    }

    private static double median(List<double[]> rows, ToDoubleFunction<double[]> value) {
        double[] values = rows.stream().mapToDouble(value).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static ResilientDatabase open(MariaDbServer server) throws SQLException {
        return ResilientDatabase.builder()
                .jdbcUrl(server.url(JdbcDriver.MARIADB))
                .username(server.user())
                .password(server.password())
                .hikari(c -> c.setMaximumPoolSize(THREADS + 4))
                .build();
    }

    private static HikariDataSource plainPool(MariaDbServer server) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(server.url(JdbcDriver.MARIADB));
        config.setUsername(server.user());
        config.setPassword(server.password());
        config.setMaximumPoolSize(THREADS + 4);
        return new HikariDataSource(config);
    }

    private static double steadfastThroughput(MariaDbServer server, int jobs, int instances) throws Exception {
        server.execute("DELETE FROM sf_job WHERE queue = 'bench'");
        List<ResilientDatabase> dbs = new ArrayList<>();
        List<Worker> workers = new ArrayList<>();
        NoopHandler noop = new NoopHandler();
        try {
            for (int i = 0; i < instances; i++) {
                dbs.add(open(server));
            }
            JobQueue queue = JobQueue.create(dbs.get(0));
            enqueueBatches(queue, jobs, 1000);
            for (ResilientDatabase db : dbs) {
                workers.add(Worker.builder(JobQueue.create(db, new ObjectMapper(), false))
                        .queues(List.of("bench"))
                        .handler(noop)
                        .concurrency(THREADS)
                        .build()); // other settings default
            }
            long start = System.nanoTime();
            workers.forEach(Worker::start);
            while (noop.done.get() < jobs) {
                Thread.sleep(5);
            }
            return jobs / ((System.nanoTime() - start) / 1e9);
        } finally {
            for (Worker w : workers) {
                w.stop();
                w.awaitTermination(Duration.ofSeconds(30));
            }
            dbs.forEach(ResilientDatabase::close);
        }
    }

    private static void enqueueBatches(JobQueue queue, int jobs, int batch) throws SQLException {
        for (int start = 0; start < jobs; start += batch) {
            List<JobRequest> requests = new ArrayList<>();
            for (int i = start; i < Math.min(jobs, start + batch); i++) {
                requests.add(JobRequest.of("noop").queue("bench").build());
            }
            queue.enqueueAll(requests);
        }
    }

    private static void createDbSchedulerTable(MariaDbServer server) throws SQLException {
        server.execute(
                "CREATE TABLE scheduled_tasks (task_name VARCHAR(100) NOT NULL, task_instance VARCHAR(100) NOT NULL,"
                        + " task_data BLOB, execution_time TIMESTAMP(6) NOT NULL, picked BOOLEAN NOT NULL, picked_by VARCHAR(50),"
                        + " last_success TIMESTAMP(6) NULL, last_failure TIMESTAMP(6) NULL, consecutive_failures INT,"
                        + " last_heartbeat TIMESTAMP(6) NULL, version BIGINT NOT NULL, priority SMALLINT,"
                        + " PRIMARY KEY (task_name, task_instance), INDEX execution_time_idx (execution_time),"
                        + " INDEX last_heartbeat_idx (last_heartbeat), INDEX priority_execution_time_idx (priority DESC, execution_time ASC))");
    }

    private static double dbSchedulerThroughput(MariaDbServer server, int jobs, int instances) throws Exception {
        server.execute("DELETE FROM scheduled_tasks");
        AtomicLong done = new AtomicLong();
        OneTimeTask<Void> task = Tasks.oneTime("noop").execute((instance, context) -> done.incrementAndGet());
        List<HikariDataSource> pools = new ArrayList<>();
        List<Scheduler> schedulers = new ArrayList<>();
        try {
            HikariDataSource clientPool = plainPool(server);
            pools.add(clientPool);
            SchedulerClient client =
                    SchedulerClient.Builder.create(clientPool, task).build();
            Instant now = Instant.now();
            for (int start = 0; start < jobs; start += 1000) {
                List<TaskInstance<?>> batch = new ArrayList<>();
                for (int i = start; i < Math.min(jobs, start + 1000); i++) {
                    batch.add(task.instance("job-" + i));
                }
                client.scheduleBatch(batch, now);
            }
            for (int i = 0; i < instances; i++) {
                HikariDataSource pool = plainPool(server);
                pools.add(pool);
                schedulers.add(Scheduler.create(pool, task)
                        .threads(THREADS)
                        .pollingInterval(Duration.ofMillis(50))
                        .build());
            }
            long start = System.nanoTime();
            schedulers.forEach(Scheduler::start);
            while (done.get() < jobs) {
                Thread.sleep(5);
            }
            return jobs / ((System.nanoTime() - start) / 1e9);
        } finally {
            schedulers.forEach(s -> s.stop());
            pools.forEach(HikariDataSource::close);
        }
    }

    /** The ceiling: claim a batch with SKIP LOCKED, mark it done, commit; nothing else. */
    private static double rawSkipLockedCeiling(MariaDbServer server, int jobs, int batch) throws Exception {
        server.execute(
                "DROP TABLE IF EXISTS raw_job",
                "CREATE TABLE raw_job (id BIGINT AUTO_INCREMENT PRIMARY KEY," + " state VARCHAR(16) NOT NULL)",
                "INSERT INTO raw_job (state) SELECT 'pending' FROM seq_1_to_" + jobs);
        try (HikariDataSource pool = plainPool(server)) {
            ExecutorService threads = Executors.newFixedThreadPool(THREADS, r -> {
                Thread thread = new Thread(r, "raw-claim");
                thread.setDaemon(true);
                return thread;
            });
            long start = System.nanoTime();
            List<Future<?>> loops = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                loops.add(threads.submit(() -> {
                    while (claimAndComplete(pool, batch) > 0) {
                        // next batch
                    }
                    return null;
                }));
            }
            for (Future<?> loop : loops) {
                loop.get();
            }
            threads.shutdown();
            return jobs / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static int claimAndComplete(HikariDataSource pool, int batch) throws SQLException {
        while (true) {
            try {
                return claimAndCompleteOnce(pool, batch);
            } catch (SQLException e) {
                if (e.getErrorCode() != 1213) {
                    throw e;
                }
                // deadlock victim (claimers collide on the state index): the transaction was rolled back, go again
            }
        }
    }

    private static int claimAndCompleteOnce(HikariDataSource pool, int batch) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT id FROM raw_job WHERE state = 'pending' LIMIT ? FOR UPDATE SKIP LOCKED")) {
                s.setInt(1, batch);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            if (!ids.isEmpty()) {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("UPDATE raw_job SET state = 'done' WHERE id IN ("
                            + String.join(",", ids.stream().map(String::valueOf).toList()) + ")");
                }
            }
            c.commit();
            return ids.size();
        }
    }

    /**
     * Enqueue one job per call (the contenders taking turns call by call) and in bulk (each contender in turn per
     * round); round 0 warms up and is not counted.
     */
    private static void enqueueThroughput(
            MariaDbServer server, JobRunrContender jobRunr, int single, int batched, int rounds) throws Exception {
        OneTimeTask<Void> task = Tasks.oneTime("noop").execute((instance, context) -> {});
        List<double[]> measured = new ArrayList<>();
        try (ResilientDatabase db = open(server);
                HikariDataSource pool = plainPool(server)) {
            JobQueue queue = JobQueue.create(db);
            SchedulerClient client = SchedulerClient.Builder.create(pool, task).build();
            for (int round = 0; round <= rounds; round++) {
                server.execute("DELETE FROM sf_job WHERE queue = 'bench'", "DELETE FROM scheduled_tasks");
                jobRunr.clear();
                double[] m = new double[6];
                // one per call: the contenders take turns call by call, so that this machine's noise hits them alike
                long[] took = new long[3];
                for (int i = 0; i < single; i++) {
                    long t0 = System.nanoTime();
                    queue.enqueue(JobRequest.of("noop").queue("bench").build());
                    long t1 = System.nanoTime();
                    client.schedule(task.instance("single-" + round + "-" + i), Instant.now());
                    long t2 = System.nanoTime();
                    jobRunr.enqueueOne(i);
                    long t3 = System.nanoTime();
                    took[0] += t1 - t0;
                    took[1] += t2 - t1;
                    took[2] += t3 - t2;
                }
                for (int c = 0; c < 3; c++) {
                    m[c] = single / (took[c] / 1e9);
                }
                long start = System.nanoTime();
                enqueueBatches(queue, batched, 1000);
                m[3] = batched / ((System.nanoTime() - start) / 1e9);
                start = System.nanoTime();
                Instant now = Instant.now();
                for (int from = 0; from < batched; from += 1000) {
                    List<TaskInstance<?>> batch = new ArrayList<>();
                    for (int i = from; i < Math.min(batched, from + 1000); i++) {
                        batch.add(task.instance("batched-" + round + "-" + i));
                    }
                    client.scheduleBatch(batch, now);
                }
                m[4] = batched / ((System.nanoTime() - start) / 1e9);
                start = System.nanoTime();
                jobRunr.enqueueStream(batched);
                m[5] = batched / ((System.nanoTime() - start) / 1e9);
                System.out.printf(
                        Locale.ROOT,
                        "enqueue round %d%s: one per call %.0f / %.0f / %.0f, bulk %.0f / %.0f / %.0f jobs/s"
                                + " (Steadfast / db-scheduler / JobRunr)%n",
                        round,
                        round == 0 ? " (warm-up)" : "",
                        m[0],
                        m[1],
                        m[2],
                        m[3],
                        m[4],
                        m[5]);
                if (round > 0) {
                    measured.add(m);
                }
            }
        }
        System.out.println();
        System.out.println("| enqueue (median of " + rounds + " rounds) | Steadfast jobs/s | db-scheduler | JobRunr"
                + " | Steadfast / db-scheduler | Steadfast / JobRunr |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        System.out.printf(
                Locale.ROOT,
                "| one per call (%d; db-scheduler `schedule`, JobRunr `enqueue`) | %.0f | %.0f | %.0f | %.2f | %.2f |%n",
                single,
                median(measured, m -> m[0]),
                median(measured, m -> m[1]),
                median(measured, m -> m[2]),
                median(measured, m -> m[0] / m[1]),
                median(measured, m -> m[0] / m[2]));
        System.out.printf(
                Locale.ROOT,
                "| bulk (%d; `enqueueAll` and `scheduleBatch` of 1,000, JobRunr one stream) | %.0f | %.0f | %.0f | %.2f | %.2f |%n",
                batched,
                median(measured, m -> m[3]),
                median(measured, m -> m[4]),
                median(measured, m -> m[5]),
                median(measured, m -> m[3] / m[4]),
                median(measured, m -> m[3] / m[5]));
    }

    /** Enqueue one job into an idle system and time until its handler starts; same JVM for both. */
    private static void pickupLatency(MariaDbServer server, int samples) throws Exception {
        server.execute("DELETE FROM sf_job WHERE queue = 'bench'", "DELETE FROM scheduled_tasks");
        Samples steadfast = new Samples();
        try (ResilientDatabase db = open(server)) {
            JobQueue queue = JobQueue.create(db);
            NoopHandler noop = new NoopHandler();
            Worker worker = Worker.builder(queue)
                    .queues(List.of("bench"))
                    .handler(noop)
                    .concurrency(THREADS)
                    .build();
            worker.start();
            for (int i = 0; i < samples; i++) {
                Thread.sleep(20);
                long before = noop.done.get();
                long start = System.nanoTime();
                queue.enqueue(JobRequest.of("noop").queue("bench").build());
                while (noop.done.get() == before) {
                    Thread.onSpinWait();
                }
                steadfast.add(noop.lastStartNanos - start);
            }
            worker.stop();
            worker.awaitTermination(Duration.ofSeconds(30));
        }
        Samples scheduler = new Samples();
        AtomicLong done = new AtomicLong();
        AtomicLong lastStart = new AtomicLong();
        OneTimeTask<Void> task = Tasks.oneTime("noop").execute((instance, context) -> {
            lastStart.set(System.nanoTime());
            done.incrementAndGet();
        });
        try (HikariDataSource pool = plainPool(server)) {
            Scheduler s = Scheduler.create(pool, task)
                    .threads(THREADS)
                    .pollingInterval(Duration.ofMillis(50))
                    .enableImmediateExecution()
                    .build();
            s.start();
            for (int i = 0; i < samples; i++) {
                Thread.sleep(20);
                long before = done.get();
                long start = System.nanoTime();
                s.schedule(task.instance("latency-" + i), Instant.now());
                while (done.get() == before) {
                    Thread.onSpinWait();
                }
                scheduler.add(lastStart.get() - start);
            }
            s.stop();
        }
        System.out.println();
        System.out.println("| pickup latency, enqueue to handler start (same JVM, idle worker) | p50 ms | p99 ms |");
        System.out.println("|---|---:|---:|");
        System.out.printf(
                Locale.ROOT,
                "| Steadfast (default settings: in-JVM wake-up, idle poll 50-150 ms) | %.2f | %.2f |%n",
                steadfast.quantile(0.5) / 1e6,
                steadfast.quantile(0.99) / 1e6);
        System.out.printf(
                Locale.ROOT,
                "| db-scheduler (poll 50 ms, enableImmediateExecution) | %.2f | %.2f |%n",
                scheduler.quantile(0.5) / 1e6,
                scheduler.quantile(0.99) / 1e6);
    }
}
