package dev.steadfast.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.BatchRequest;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.JobRequest;
import dev.steadfast.queue.Worker;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a batch costs (issue 29): enqueue of N no-op jobs as one batch against {@code enqueueAll} of the same jobs (one
 * transaction each), and processing them with 8 threads with and without a batch (default worker settings; rounds
 * alternate after a warm-up round), with the server's statements per job ({@code Questions}, {@code Com_update},
 * {@code Com_select}, {@code Com_insert}) for each.
 *
 * <p>{@code mvn -q -B -pl steadfast-bench exec:java@batch-bench -Dexec.args="JOBS ROUNDS"} (default 100000 2).
 */
public final class BatchBenchmark {
    private static final int THREADS = 8;
    private static final List<String> COUNTERS = List.of("Questions", "Com_select", "Com_update", "Com_insert");

    private BatchBenchmark() {}

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        try (MariaDbServer server = MariaDbServer.launch();
                ResilientDatabase db = open(server);
                Connection admin = server.admin()) {
            JobQueue queue = JobQueue.create(db);
            System.out.println("server: " + admin.getMetaData().getDatabaseProductVersion() + ", java "
                    + System.getProperty("java.version") + ", "
                    + Runtime.getRuntime().availableProcessors()
                    + " cores, " + jobs + " no-op jobs, " + THREADS + " threads, " + rounds
                    + " rounds after a warm-up round");
            System.out.println(
                    "| round | enqueueAll s | batch enqueue s | ratio | plain jobs/s | batch jobs/s | ratio |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|");
            double[] sums = new double[4];
            Map<String, double[]> perJob = new TreeMap<>();
            for (int round = 0; round <= rounds; round++) {
                double plainEnqueue = enqueue(server, queue, jobs, false);
                Map<String, Long> before = counters(admin);
                double plainRate = drain(server, jobs);
                Map<String, Long> plainCost = delta(before, counters(admin));
                double batchEnqueue = enqueue(server, queue, jobs, true);
                before = counters(admin);
                double batchRate = drain(server, jobs);
                Map<String, Long> batchCost = delta(before, counters(admin));
                System.out.printf(
                        Locale.ROOT,
                        "| %s | %.2f | %.2f | %.2f | %.0f | %.0f | %.2f |%n",
                        round == 0 ? "warm-up" : Integer.toString(round),
                        plainEnqueue,
                        batchEnqueue,
                        plainEnqueue / batchEnqueue,
                        plainRate,
                        batchRate,
                        batchRate / plainRate);
                if (round > 0) {
                    sums[0] += plainEnqueue;
                    sums[1] += batchEnqueue;
                    sums[2] += plainRate;
                    sums[3] += batchRate;
                    for (String counter : COUNTERS) {
                        double[] v = perJob.computeIfAbsent(counter, k -> new double[2]);
                        v[0] += plainCost.get(counter) / (double) jobs / rounds;
                        v[1] += batchCost.get(counter) / (double) jobs / rounds;
                    }
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "| mean | %.2f | %.2f | %.2f | %.0f | %.0f | %.2f |%n",
                    sums[0] / rounds,
                    sums[1] / rounds,
                    sums[0] / sums[1],
                    sums[2] / rounds,
                    sums[3] / rounds,
                    sums[3] / sums[2]);
            System.out.println();
            System.out.println("| processing, per job | without a batch | in a batch |");
            System.out.println("|---|---:|---:|");
            perJob.forEach(
                    (counter, v) -> System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f |%n", counter, v[0], v[1]));
        }
        System.exit(0);
    }

    /** Seconds to enqueue the jobs in one transaction: {@code enqueueAll}, or one batch. */
    private static double enqueue(MariaDbServer server, JobQueue queue, int jobs, boolean asBatch) throws Exception {
        server.execute(
                "SET FOREIGN_KEY_CHECKS = 0",
                "TRUNCATE TABLE sf_job",
                "TRUNCATE TABLE sf_batch",
                "TRUNCATE TABLE sf_batch_callback");
        List<JobRequest> requests = new ArrayList<>(jobs);
        for (int i = 0; i < jobs; i++) {
            requests.add(JobRequest.of("noop").queue("bench").build());
        }
        long start = System.nanoTime();
        if (asBatch) {
            BatchRequest batch = queue.batch()
                    .onComplete(JobRequest.of("done").queue("bench-done").build())
                    .addAll(requests);
            batch.enqueue();
        } else {
            queue.enqueueAll(requests);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static double drain(MariaDbServer server, int jobs) throws Exception {
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

    private static Map<String, Long> counters(Connection admin) throws SQLException {
        Map<String, Long> values = new TreeMap<>();
        try (Statement s = admin.createStatement();
                ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS WHERE Variable_name IN ('Questions', 'Com_select',"
                        + " 'Com_update', 'Com_insert')")) {
            while (rs.next()) {
                values.put(rs.getString(1), rs.getLong(2));
            }
        }
        return values;
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new TreeMap<>();
        for (String counter : COUNTERS) {
            d.put(counter, after.get(counter) - before.get(counter));
        }
        return d;
    }

    private static ResilientDatabase open(MariaDbServer server) throws SQLException {
        return ResilientDatabase.builder()
                .jdbcUrl(server.url(JdbcDriver.MARIADB))
                .username(server.user())
                .password(server.password())
                .build();
    }
}
