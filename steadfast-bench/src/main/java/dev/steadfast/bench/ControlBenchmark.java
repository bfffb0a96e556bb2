package dev.steadfast.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.JobHandler;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.JobRequest;
import dev.steadfast.queue.RateLimit;
import dev.steadfast.queue.Schedule;
import dev.steadfast.queue.ScheduleView;
import dev.steadfast.queue.Worker;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What operators' controls cost: processing with 10 schedules, 3 paused and 3 rate-limited queues configured against
 * nothing configured (rounds alternate; default worker settings, 8 threads), the statements an idle worker sends with
 * and without them, how late a schedule's ticks are enqueued (two workers, a schedule every second), what jobs waiting
 * for a concurrency slot cost the server, and how closely two workers keep to a queue's rate limit and at what cost.
 *
 * <p>{@code mvn -q -B -pl steadfast-bench exec:java@control-bench -Dexec.args="JOBS ROUNDS TICK_SECONDS"} (default
 * 20000 3 60; a fourth argument {@code rate} runs only the rate limit's part).
 */
public final class ControlBenchmark {
    private static final int THREADS = 8;
    private static final String CONFIGURED = "10 schedules (hourly), 3 paused and 3 rate-limited queues";

    private ControlBenchmark() {}

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int tickSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        try (MariaDbServer server = MariaDbServer.launch();
                ResilientDatabase db = open(server)) {
            JobQueue queue = JobQueue.create(db);
            try (Connection c = server.admin()) {
                System.out.println("server: " + c.getMetaData().getDatabaseProductVersion() + ", java "
                        + System.getProperty("java.version")
                        + ", " + Runtime.getRuntime().availableProcessors() + " cores, " + jobs + " no-op jobs, "
                        + THREADS
                        + " threads, " + rounds + " rounds after a warm-up round");
            }
            if (args.length > 3 && args[3].equals("rate")) { // only the rate limit's part
                rateLimit(server, queue);
                System.exit(0);
            }
            throughput(server, queue, jobs, rounds);
            idleCost(server, queue);
            tickDelay(server, queue, tickSeconds);
            limits(server, queue);
            rateLimit(server, queue);
        }
        System.exit(0);
    }

    private static void throughput(MariaDbServer server, JobQueue queue, int jobs, int rounds) throws Exception {
        double[][] rates = new double[rounds][2];
        for (int round = 0; round <= rounds; round++) {
            for (int configured = 0; configured < 2; configured++) {
                if (configured == 1) {
                    configure(queue);
                } else {
                    unconfigure(queue);
                }
                double rate = drain(server, queue, jobs);
                System.out.printf(
                        Locale.ROOT,
                        "round %d%s, %s: %.0f jobs/s%n",
                        round,
                        round == 0 ? " (warm-up)" : "",
                        configured == 1 ? CONFIGURED : "nothing configured",
                        rate);
                if (round > 0) {
                    rates[round - 1][configured] = rate;
                }
            }
        }
        unconfigure(queue);
        List<Double> plain = new ArrayList<>();
        List<Double> withControls = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (double[] r : rates) {
            plain.add(r[0]);
            withControls.add(r[1]);
            ratios.add(r[1] / r[0]);
        }
        System.out.println();
        System.out.println("| processing, median of " + rounds + " rounds | jobs/s |");
        System.out.println("|---|---:|");
        System.out.printf(Locale.ROOT, "| nothing configured | %.0f |%n", Samples.median(plain));
        System.out.printf(Locale.ROOT, "| %s | %.0f |%n", CONFIGURED, Samples.median(withControls));
        System.out.printf(Locale.ROOT, "| ratio (median of per-round ratios) | %.3f |%n%n", Samples.median(ratios));
    }

    private static void configure(JobQueue queue) throws SQLException {
        for (int i = 0; i < 10; i++) {
            queue.schedule(Schedule.cron(
                    "bench-" + i,
                    i + " * * * *",
                    ZoneId.of("UTC"),
                    JobRequest.of("noop").queue("bench-ticks").build()));
        }
        for (int i = 0; i < 3; i++) {
            queue.pause("bench-paused-" + i);
            queue.limitRate("bench-rated-" + i, RateLimit.of(100, Duration.ofSeconds(1)));
        }
    }

    private static void unconfigure(JobQueue queue) throws SQLException {
        for (int i = 0; i < 10; i++) {
            queue.unschedule("bench-" + i);
        }
        for (int i = 0; i < 3; i++) {
            queue.resume("bench-paused-" + i);
            queue.removeRateLimit("bench-rated-" + i);
        }
    }

    private static double drain(MariaDbServer server, JobQueue queue, int jobs) throws Exception {
        server.execute("DELETE FROM sf_job WHERE queue = 'bench'");
        for (int start = 0; start < jobs; start += 1000) {
            List<JobRequest> batch = new ArrayList<>();
            for (int i = start; i < Math.min(jobs, start + 1000); i++) {
                batch.add(JobRequest.of("noop").queue("bench").build());
            }
            queue.enqueueAll(batch);
        }
        NoopHandler noop = new NoopHandler();
        try (ResilientDatabase db = open(server)) {
            Worker worker = Worker.builder(JobQueue.create(db, new ObjectMapper(), false))
                    .queues(List.of("bench"))
                    .handler(noop)
                    .concurrency(THREADS)
                    .build();
            long start = System.nanoTime();
            worker.start();
            while (noop.done.get() < jobs) {
                Thread.sleep(5);
            }
            double rate = jobs / ((System.nanoTime() - start) / 1e9);
            worker.stop();
            worker.awaitTermination(Duration.ofSeconds(30));
            return rate;
        }
    }

    private static void idleCost(MariaDbServer server, JobQueue queue) throws Exception {
        System.out.println("| one idle worker, 20 s | statements/s |");
        System.out.println("|---|---:|");
        for (int configured = 0; configured < 2; configured++) {
            if (configured == 1) {
                configure(queue);
            }
            try (ResilientDatabase db = open(server);
                    Connection admin = server.admin()) {
                Worker worker = Worker.builder(JobQueue.create(db, new ObjectMapper(), false))
                        .queues(List.of("bench"))
                        .handler(new NoopHandler())
                        .concurrency(THREADS)
                        .build();
                worker.start();
                Thread.sleep(5_000); // settled: pool filled, first beats done
                long before = ServerStatus.questions(admin);
                Thread.sleep(20_000);
                long after = ServerStatus.questions(admin);
                worker.stop();
                worker.awaitTermination(Duration.ofSeconds(30));
                System.out.printf(
                        Locale.ROOT,
                        "| %s | %.1f |%n",
                        configured == 1 ? CONFIGURED : "nothing configured",
                        (after - before - 1) / 20.0);
            }
        }
        unconfigure(queue);
        System.out.println();
    }

    private static void tickDelay(MariaDbServer server, JobQueue queue, int seconds) throws Exception {
        ScheduleView schedule = queue.schedule(Schedule.every(
                "bench-every-second",
                Duration.ofSeconds(1),
                JobRequest.of("noop").queue("bench-ticked").build()));
        try (TwoWorkers workers = TwoWorkers.on(server, "bench-ticked", new NoopHandler())) {
            workers.start();
            Thread.sleep(seconds * 1000L);
            queue.unschedule("bench-every-second");
        }
        Samples delays = new Samples();
        Instant first = schedule.nextRun();
        long ticks = 0;
        try (Connection c = server.admin();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT UNIX_TIMESTAMP(created_at) * 1000 AS created FROM sf_job WHERE queue = 'bench-ticked'"
                                + " ORDER BY id")) {
            while (rs.next()) {
                // ticks are enqueued exactly once and in order: the i-th job is the i-th tick's
                long tick = first.toEpochMilli() + ticks * 1000;
                delays.add((rs.getLong("created") - tick) * 1_000_000);
                ticks++;
            }
        }
        System.out.printf(
                Locale.ROOT,
                "| tick delay, a schedule every second, 2 workers, %d ticks | p50 ms | p99 ms | max ms |%n",
                ticks);
        System.out.println("|---|---:|---:|---:|");
        System.out.printf(
                Locale.ROOT,
                "| scheduled time to the job's row | %.0f | %.0f | %.0f |%n",
                delays.quantile(0.5) / 1e6,
                delays.quantile(0.99) / 1e6,
                delays.quantile(1.0) / 1e6);
    }

    /**
     * 400 jobs of 20 ms each with a concurrency limit of 2 on one worker of 8 threads, against the same jobs without a
     * key on a worker of 2 threads (the same parallelism): what waiting for a slot costs the server.
     */
    private static void limits(MariaDbServer server, JobQueue queue) throws Exception {
        System.out.println();
        System.out.println(
                "| 400 jobs of 20 ms, one worker | threads | seconds | statements | statements/s | statements per job |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (boolean keyed : new boolean[] {false, true, false, true}) {
            String name = "bench-limit-" + System.nanoTime();
            List<JobRequest> jobs = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                JobRequest.Builder job = JobRequest.of("sleep20").queue(name);
                jobs.add((keyed ? job.concurrencyLimit("account-1", 2) : job).build());
            }
            queue.enqueueAll(jobs);
            AtomicLong done = new AtomicLong();
            try (ResilientDatabase db = open(server);
                    Connection admin = server.admin()) {
                Worker worker = Worker.builder(JobQueue.create(db, new ObjectMapper(), false))
                        .queues(List.of(name))
                        .concurrency(keyed ? THREADS : 2)
                        .handler(JobHandler.of("sleep20", JsonNode.class, (context, payload) -> {
                            Thread.sleep(20);
                            done.incrementAndGet();
                        }))
                        .build();
                long before = ServerStatus.questions(admin);
                long start = System.nanoTime();
                worker.start();
                while (done.get() < 400) {
                    Thread.sleep(5);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                long statements = ServerStatus.questions(admin) - before - 1;
                worker.stop();
                worker.awaitTermination(Duration.ofSeconds(30));
                System.out.printf(
                        Locale.ROOT,
                        "| %s | %d | %.1f | %d | %.0f | %.2f |%n",
                        keyed ? "concurrency key, limit 2" : "no key",
                        keyed ? THREADS : 2,
                        seconds,
                        statements,
                        statements / seconds,
                        statements / 400.0);
            }
        }
    }

    /**
     * 1,000 no-op jobs in a queue limited to 200 per second, two workers of 8 threads each, against the same jobs
     * without a limit: the most starts the server recorded in any second, the rate kept while jobs waited, and the
     * statements the limit costs per job: 1,000 starts at 200 a second take 4 s from the first to the last.
     */
    private static void rateLimit(MariaDbServer server, JobQueue queue) throws Exception {
        System.out.println();
        System.out.println(
                "| 1,000 no-op jobs, 2 workers of 8 threads | most starts in any 1 s | last start, s after the first"
                        + " (at the limit: 4.0) | seconds | statements per job |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (boolean limited : new boolean[] {false, true, false, true}) {
            String name = "bench-rate-" + System.nanoTime();
            if (limited) {
                queue.limitRate(name, RateLimit.of(200, Duration.ofSeconds(1)));
            }
            List<JobRequest> jobs = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                jobs.add(JobRequest.of("noop").queue(name).build());
            }
            queue.enqueueAll(jobs);
            NoopHandler noop = new NoopHandler();
            try (Connection admin = server.admin()) {
                long before = ServerStatus.questions(admin);
                long start = System.nanoTime();
                double seconds;
                long statements;
                try (TwoWorkers workers = TwoWorkers.on(server, name, noop)) {
                    workers.start();
                    while (noop.done.get() < 1000) {
                        Thread.sleep(5);
                    }
                    seconds = (System.nanoTime() - start) / 1e9;
                    statements = ServerStatus.questions(admin) - before - 1; // before the workers' shutdown
                }
                List<Long> starts = new ArrayList<>();
                try (Statement s = admin.createStatement();
                        ResultSet rs = s.executeQuery("SELECT attempt_started_at FROM sf_job WHERE queue = '" + name
                                + "' ORDER BY attempt_started_at")) {
                    while (rs.next()) {
                        starts.add(rs.getTimestamp(1).getTime());
                    }
                }
                int most = 0;
                for (int from = 0, to = 0; to < starts.size(); to++) {
                    while (starts.get(to) - starts.get(from) >= 1000) {
                        from++;
                    }
                    most = Math.max(most, to - from + 1);
                }
                double span = (starts.get(starts.size() - 1) - starts.get(0)) / 1000.0;
                System.out.printf(
                        Locale.ROOT,
                        "| %s | %d | %.3f | %.1f | %.2f |%n",
                        limited ? "rate limit 200/1s" : "no limit",
                        most,
                        span,
                        seconds,
                        statements / 1000.0);
            }
            if (limited) {
                queue.removeRateLimit(name);
            }
        }
    }

    /** Two workers of {@link #THREADS} threads, each with a pool of its own, on one queue; closing stops both. */
    private record TwoWorkers(List<Worker> workers, List<ResilientDatabase> dbs) implements AutoCloseable {
        static TwoWorkers on(MariaDbServer server, String queueName, JobHandler<?> handler) throws SQLException {
            List<Worker> workers = new ArrayList<>();
            List<ResilientDatabase> dbs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                ResilientDatabase db = open(server);
                dbs.add(db);
                workers.add(Worker.builder(JobQueue.create(db, new ObjectMapper(), false))
                        .queues(List.of(queueName))
                        .handler(handler)
                        .concurrency(THREADS)
                        .build());
            }
            return new TwoWorkers(workers, dbs);
        }

        void start() {
            workers.forEach(Worker::start);
        }

        @Override
        public void close() throws InterruptedException {
            for (Worker w : workers) {
                w.stop();
                w.awaitTermination(Duration.ofSeconds(30));
            }
            dbs.forEach(ResilientDatabase::close);
        }
    }

    private static ResilientDatabase open(MariaDbServer server) throws SQLException {
        return ResilientDatabase.builder()
                .jdbcUrl(server.url(JdbcDriver.MARIADB))
                .username(server.user())
                .password(server.password())
                .build();
    }
}
