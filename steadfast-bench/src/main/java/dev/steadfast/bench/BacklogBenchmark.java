package dev.steadfast.bench;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.JobBrowser;
import dev.steadfast.queue.JobFilter;
import dev.steadfast.queue.JobHandler;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.JobRequest;
import dev.steadfast.queue.JobStatus;
import dev.steadfast.queue.Worker;
import dev.steadfast.queue.internal.store.Store;
import dev.steadfast.queue.metrics.QueueGauges;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a retained backlog costs: the queries behind every dashboard page, {@code stats} and the gauges of
 * {@code /metrics}, timed (median and max of 15 runs each) on an empty schema and on one holding {@code pending}
 * pending and {@code succeeded} succeeded jobs (filled with MariaDB's sequence engine, 1M rows per statement),
 * then no-op processing of 20,000 jobs by one worker (8 threads, default settings) on the empty and the filled
 * table, alternated, and claims from the backlog timed alone and while the succeeded jobs are purged.
 *
 * <p>Arguments: {@code [pending] [succeeded]} (default 1000000 9000000).
 */
public final class BacklogBenchmark {
    private static final int RUNS = 15;
    private static final int JOBS = 20_000;

    private BacklogBenchmark() {}

    public static void main(String[] args) throws Exception {
        long pending = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        long succeeded = args.length > 1 ? Long.parseLong(args[1]) : 9_000_000;
        try (MariaDbServer server = MariaDbServer.launch("--innodb-buffer-pool-size=4G")) {
            try (Connection c = server.admin()) {
                System.out.println("server: " + c.getMetaData().getDatabaseProductVersion() + ", java "
                        + System.getProperty("java.version") + ", "
                        + Runtime.getRuntime().availableProcessors() + " cores");
            }
            server.execute("CREATE DATABASE empty_schema");
            String emptyUrl = server.url(JdbcDriver.MARIADB).replaceFirst("/steadfast(\\?|$)", "/empty_schema$1");
            try (ResilientDatabase db = ResilientDatabase.builder()
                            .jdbcUrl(server.url(JdbcDriver.MARIADB))
                            .username(server.user())
                            .password(server.password())
                            .build();
                    ResilientDatabase emptyDb = ResilientDatabase.builder()
                            .jdbcUrl(emptyUrl)
                            .username(server.user())
                            .password(server.password())
                            .build()) {
                JobQueue queue = JobQueue.create(db);
                JobQueue emptyQueue = JobQueue.create(emptyDb);
                seed(queue);
                seed(emptyQueue);
                long start = System.nanoTime();
                fill(server, pending, succeeded);
                System.out.printf(
                        Locale.ROOT,
                        "filled %,d pending and %,d succeeded jobs in %.0f s%n",
                        pending,
                        succeeded,
                        (System.nanoTime() - start) / 1e9);
                System.out.println("empty schema:");
                Map<String, double[]> empty = pages(emptyDb, emptyQueue);
                System.out.println("with the backlog:");
                Map<String, double[]> full = pages(db, queue);
                double[] emptyRates = new double[2];
                double[] fullRates = new double[2];
                for (int round = 0; round < 2; round++) {
                    emptyRates[round] = drain(emptyQueue);
                    fullRates[round] = drain(queue);
                }
                System.out.println();
                System.out.printf(
                        Locale.ROOT,
                        "| what (queries behind it) | empty: median ms | %,d jobs: median ms | %,d jobs: max ms |%n",
                        pending + succeeded,
                        pending + succeeded);
                System.out.println("|---|---:|---:|---:|");
                full.forEach((what, ms) -> System.out.printf(
                        Locale.ROOT, "| %s | %.1f | %.1f | %.1f |%n", what, empty.get(what)[0], ms[0], ms[1]));
                double emptyMedian = (emptyRates[0] + emptyRates[1]) / 2;
                double fullMedian = (fullRates[0] + fullRates[1]) / 2;
                System.out.printf(
                        Locale.ROOT,
                        "%nprocessing %,d no-op jobs, 1 worker, 8 threads, default settings, alternated:"
                                + " empty schema %.0f and %.0f jobs/s; with the backlog %.0f and %.0f jobs/s (mean %.2f of empty)%n",
                        JOBS,
                        emptyRates[0],
                        emptyRates[1],
                        fullRates[0],
                        fullRates[1],
                        fullMedian / emptyMedian);
                System.out.println("stats with the backlog: " + queue.stats().total());
                claimsDuringPurge(db);
            }
        }
    }

    /** A few jobs in every state, so that no page is empty. */
    private static void seed(JobQueue queue) throws Exception {
        for (int i = 0; i < 20; i++) {
            queue.enqueue(
                    JobRequest.of("noop").queue(i % 2 == 0 ? "mail" : "reports").build());
            queue.enqueue(JobRequest.of("noop")
                    .queue("mail")
                    .delay(Duration.ofHours(1))
                    .build());
        }
    }

    private static void fill(MariaDbServer server, long pending, long succeeded) throws Exception {
        try (Connection c = server.admin();
                Statement s = c.createStatement()) {
            s.execute("USE " + server.url(JdbcDriver.MARIADB).replaceAll(".*/([^/?]+)(\\?.*)?$", "$1"));
            insert(
                    s,
                    pending,
                    "'pending'",
                    "0",
                    "NOW(3) - INTERVAL (seq % 86400) SECOND + INTERVAL IF(seq % 10 = 0, 7200, 0) SECOND",
                    "NULL");
            insert(
                    s,
                    succeeded,
                    "'succeeded'",
                    "1",
                    "NOW(3) - INTERVAL 1 HOUR - INTERVAL (seq DIV 20) SECOND",
                    "NOW(3) - INTERVAL 1 HOUR - INTERVAL (seq DIV 20) SECOND");
            s.execute("ANALYZE TABLE sf_job");
        }
    }

    private static void insert(Statement s, long rows, String state, String attempts, String runAt, String finishedAt)
            throws Exception {
        for (long done = 0; done < rows; done += 1_000_000) {
            long n = Math.min(1_000_000, rows - done);
            s.executeUpdate(
                    "INSERT INTO sf_job (queue, type, payload, priority, state, attempts, max_attempts, run_at, finished_at)"
                            + " SELECT ELT(1 + seq % 4, 'default', 'mail', 'reports', 'default'), 'noop', '{\"n\":1}', IF(seq % 100 = 0, 5, 0), "
                            + state + ", " + attempts + ", 3, " + runAt + ", " + finishedAt + " FROM seq_1_to_" + n);
        }
    }

    /** Median and max milliseconds of the queries behind each page. */
    private static Map<String, double[]> pages(ResilientDatabase db, JobQueue queue) throws Exception {
        JobBrowser browser = queue.browser();
        Map<String, Timed> pages = new LinkedHashMap<>();
        pages.put("overview (/)", () -> {
            queue.stats();
            browser.latencies();
            browser.finishedPerMinute(60);
            browser.workers(Duration.ofMinutes(1));
        });
        pages.put("stats", queue::stats);
        for (JobStatus status : JobStatus.values()) {
            pages.put(
                    "/jobs?state=" + status.text(),
                    () -> browser.page(JobFilter.all().status(status), null, 50));
        }
        pages.put("/jobs?state=pending, page 2", () -> {
            var first = browser.page(JobFilter.all().status(JobStatus.PENDING), null, 50);
            browser.page(JobFilter.all().status(JobStatus.PENDING), first.next(), 50);
        });
        pages.put("/failed", () -> {
            browser.failures(JobFilter.all(), null, 50);
            queue.count(JobFilter.all().status(JobStatus.FAILED), JobBrowser.COUNT_CAP);
        });
        pages.put("/workers", () -> browser.workers(Duration.ofMinutes(1)));
        pages.put("/connections (doctor facts)", queue::facts);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (QueueGauges holder = holdingTheRole(db, registry);
                QueueGauges reader = QueueGauges.start(db, new SimpleMeterRegistry(), Duration.ofHours(1))) {
            pages.put("gauges: census by the role holder", holder::sample);
            pages.put("gauges: any other process", reader::sample);
            Map<String, double[]> result = new LinkedHashMap<>();
            for (Map.Entry<String, Timed> page : pages.entrySet()) {
                page.getValue().run(); // warm
                double[] ms = new double[RUNS];
                for (int i = 0; i < RUNS; i++) {
                    long start = System.nanoTime();
                    page.getValue().run();
                    ms[i] = (System.nanoTime() - start) / 1e6;
                }
                Arrays.sort(ms);
                result.put(page.getKey(), new double[] {ms[RUNS / 2], ms[RUNS - 1]});
                System.out.printf(
                        Locale.ROOT,
                        "%-36s median %8.1f ms, max %8.1f ms%n",
                        page.getKey(),
                        ms[RUNS / 2],
                        ms[RUNS - 1]);
            }
            return result;
        }
    }

    private static double drain(JobQueue queue) throws Exception {
        for (int start = 0; start < JOBS; start += 1000) {
            List<JobRequest> batch = new ArrayList<>();
            for (int i = start; i < Math.min(JOBS, start + 1000); i++) {
                batch.add(JobRequest.of("bench-noop").queue("bench").build());
            }
            queue.enqueueAll(batch);
        }
        AtomicLong done = new AtomicLong();
        Worker worker = Worker.builder(queue)
                .queues(List.of("bench"))
                .handler(JobHandler.of("bench-noop", Map.class, (ctx, p) -> done.incrementAndGet()))
                .concurrency(8)
                .build();
        long start = System.nanoTime();
        worker.start();
        while (done.get() < JOBS) {
            Thread.sleep(5);
        }
        double rate = JOBS / ((System.nanoTime() - start) / 1e9);
        worker.stop();
        worker.awaitTermination(Duration.ofSeconds(30));
        System.out.printf(Locale.ROOT, "drained %,d jobs: %.0f jobs/s%n", JOBS, rate);
        return rate;
    }

    /** Gauges that have taken the census role, before any other process starts: the labels below depend on it. */
    private static QueueGauges holdingTheRole(ResilientDatabase db, SimpleMeterRegistry registry) throws SQLException {
        QueueGauges holder = QueueGauges.start(db, registry, Duration.ofHours(1));
        holder.sample();
        return holder;
    }

    private static final int CLAIMS = 2000;
    // the fill's succeeded jobs finished 1 to 15 hours ago: past a 2 h retention, some 90% of them go
    private static final Duration RETENTION = Duration.ofHours(2);

    /**
     * Claims of 50 jobs from the backlog (as a worker's claim: one transaction, SKIP LOCKED), timed alone, while the
     * succeeded jobs past a 2 h retention are purged in batches of 1,000 back to back (as {@code Maintenance}
     * does on its first run over a large backlog), and alone again.
     */
    private static void claimsDuringPurge(ResilientDatabase db) throws Exception {
        Store store = new Store();
        Samples before = claims(db, store);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong purged = new AtomicLong();
        Thread purger = new Thread(
                () -> {
                    try {
                        int n;
                        do {
                            n = db.read(c -> store.purges().purgeSucceeded(c, RETENTION, 1000));
                            purged.addAndGet(n);
                        } while (n == 1000 && !stop.get());
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                },
                "purger");
        long start = System.nanoTime();
        purger.start();
        Samples during = claims(db, store);
        double seconds = (System.nanoTime() - start) / 1e9;
        long purgedWhileClaiming = purged.get();
        stop.set(true);
        purger.join();
        Samples after = claims(db, store);
        System.out.println();
        System.out.println("| claims of 50 jobs (" + CLAIMS + " each) | p50 ms | p99 ms | max ms |");
        System.out.println("|---|---:|---:|---:|");
        for (Object[] row : new Object[][] {{"alone", before}, {"while purging", during}, {"alone again", after}}) {
            Samples samples = (Samples) row[1];
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %.2f | %.2f | %.2f |%n",
                    row[0],
                    samples.quantile(0.5) / 1e6,
                    samples.quantile(0.99) / 1e6,
                    samples.quantile(1.0) / 1e6);
        }
        System.out.printf(
                Locale.ROOT,
                "purged %,d succeeded jobs in %.1f s while claiming (%,.0f rows/s); p99 while purging"
                        + " %.2f of alone%n",
                purgedWhileClaiming,
                seconds,
                purgedWhileClaiming / seconds,
                during.quantile(0.99) / (double) Math.max(before.quantile(0.99), after.quantile(0.99)));
    }

    private static Samples claims(ResilientDatabase db, Store store) throws SQLException {
        Samples samples = new Samples();
        for (int i = 0; i < CLAIMS; i++) {
            long token = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
            long start = System.nanoTime();
            db.transaction(
                    c -> store.claims().claimCommitted(c, token),
                    tx -> store.claims()
                            .claim(
                                    tx,
                                    List.of("default"),
                                    List.of("noop"),
                                    50,
                                    "bench-claimer",
                                    token,
                                    Duration.ofHours(1)));
            samples.add(System.nanoTime() - start);
        }
        return samples;
    }

    @FunctionalInterface
    private interface Timed {
        void run() throws Exception;
    }
}
