package dev.steadfast.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.BatchRequest;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.JobRequest;
import dev.steadfast.queue.Worker;
import dev.steadfast.queue.WorkflowRequest;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What groups and flows cost, side by side with the same jobs without them, in one run on one server:
 *
 * <ul>
 *   <li>enqueue: {@code members} no-op jobs as one batch against {@code enqueueAll} of the same jobs (one call each);
 *   <li>processing: the same jobs drained by one worker of 8 threads, in a batch (with an on-complete callback)
 *       against without, and the statements the server received per job ({@code Questions});
 *   <li>latency: from the last member's end (its {@code finished_at}, set by the statement that commits it) to its
 *       callback starting ({@code attempt_started_at}), over batches of 100; and from the last parent's end to a
 *       1,000-wide fan-in step starting. Both read from the database's own clock.
 * </ul>
 *
 * Rounds alternate the two sides; round 0 warms the JIT and is not counted. Args: members (100000), rounds (3),
 * latency samples (20).
 */
public final class FlowBenchmark {
    private static final int THREADS = 8;

    private FlowBenchmark() {}

    public static void main(String[] args) throws Exception {
        int members = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int samples = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        try (MariaDbServer server = MariaDbServer.launch()) {
            try (Connection c = server.admin()) {
                System.out.println("server: " + c.getMetaData().getDatabaseProductVersion() + ", java "
                        + System.getProperty("java.version") + ", "
                        + Runtime.getRuntime().availableProcessors() + " cores, " + members + " no-op jobs, "
                        + THREADS + " threads, " + rounds + " rounds after a warm-up round");
            }
            try (ResilientDatabase db = open(server)) {
                JobQueue.create(db);
            }
            List<double[]> measured = new ArrayList<>();
            for (int round = 0; round <= rounds; round++) {
                double plainEnqueue = enqueue(server, members, false);
                double batchEnqueue = enqueue(server, members, true);
                double[] plain = process(server, members, false);
                double[] batched = process(server, members, true);
                System.out.printf(
                        Locale.ROOT,
                        "round %d%s: enqueue %.0f / %.0f jobs/s (enqueueAll / batch), processing %.0f / %.0f jobs/s"
                                + " (plain / batch), statements per job %.3f / %.3f%n",
                        round,
                        round == 0 ? " (warm-up)" : "",
                        plainEnqueue,
                        batchEnqueue,
                        plain[0],
                        batched[0],
                        plain[1],
                        batched[1]);
                if (round > 0) {
                    measured.add(new double[] {plainEnqueue, batchEnqueue, plain[0], batched[0], plain[1], batched[1]});
                }
            }
            System.out.println();
            System.out.println("| round | enqueueAll jobs/s | batch enqueue jobs/s | batch / enqueueAll"
                    + " | plain processing jobs/s | batch processing jobs/s | batch / plain"
                    + " | statements per job, plain | in a batch |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            for (int i = 0; i < measured.size(); i++) {
                double[] m = measured.get(i);
                System.out.printf(
                        Locale.ROOT,
                        "| %d | %.0f | %.0f | %.2f | %.0f | %.0f | %.2f | %.3f | %.3f |%n",
                        i + 1,
                        m[0],
                        m[1],
                        m[1] / m[0],
                        m[2],
                        m[3],
                        m[3] / m[2],
                        m[4],
                        m[5]);
            }
            System.out.printf(
                    Locale.ROOT,
                    "| median | %.0f | %.0f | %.2f | %.0f | %.0f | %.2f | %.3f | %.3f |%n",
                    median(measured, 0),
                    median(measured, 1),
                    Samples.median(measured.stream().map(m -> m[1] / m[0]).toList()),
                    median(measured, 2),
                    median(measured, 3),
                    Samples.median(measured.stream().map(m -> m[3] / m[2]).toList()),
                    median(measured, 4),
                    median(measured, 5));
            latencies(server, samples);
        }
        System.exit(0);
    }

    private static double median(List<double[]> rows, int column) {
        return Samples.median(rows.stream().map(m -> m[column]).toList());
    }

    private static ResilientDatabase open(MariaDbServer server) throws SQLException {
        return ResilientDatabase.builder()
                .jdbcUrl(server.url(JdbcDriver.MARIADB))
                .username(server.user())
                .password(server.password())
                .hikari(c -> c.setMaximumPoolSize(THREADS + 4))
                .build();
    }

    private static List<JobRequest> jobs(int n) {
        List<JobRequest> requests = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            requests.add(JobRequest.of("noop").queue("bench").build());
        }
        return requests;
    }

    private static void clear(MariaDbServer server) throws SQLException {
        server.execute("DELETE FROM sf_job WHERE queue = 'bench'", "DELETE FROM sf_batch");
    }

    /** Jobs per second of one enqueue call of {@code n} jobs, as a batch or by {@code enqueueAll}. */
    private static double enqueue(MariaDbServer server, int n, boolean batch) throws Exception {
        clear(server);
        List<JobRequest> requests = jobs(n);
        try (ResilientDatabase db = open(server)) {
            JobQueue queue = JobQueue.create(db, new ObjectMapper(), false);
            long start = System.nanoTime();
            if (batch) {
                queue.batch().addAll(requests).enqueue();
            } else {
                queue.enqueueAll(requests);
            }
            return n / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** Jobs per second and statements per job of one worker draining {@code n} jobs, in a batch or not. */
    private static double[] process(MariaDbServer server, int n, boolean batch) throws Exception {
        clear(server);
        NoopHandler noop = new NoopHandler();
        try (ResilientDatabase db = open(server)) {
            JobQueue queue = JobQueue.create(db, new ObjectMapper(), false);
            if (batch) {
                queue.batch()
                        .onComplete(JobRequest.of("callback")
                                .queue("bench-callbacks")
                                .build())
                        .addAll(jobs(n))
                        .enqueue();
            } else {
                queue.enqueueAll(jobs(n));
            }
            Worker worker = Worker.builder(queue)
                    .queues(List.of("bench"))
                    .handler(noop)
                    .concurrency(THREADS)
                    .build();
            long statementsBefore;
            try (Connection c = server.admin()) {
                statementsBefore = ServerStatus.questions(c);
            }
            long start = System.nanoTime();
            worker.start();
            while (noop.done.get() < n) {
                Thread.sleep(5);
            }
            double rate = n / ((System.nanoTime() - start) / 1e9);
            worker.stop();
            worker.awaitTermination(Duration.ofSeconds(30)); // the last successes are written
            long statements;
            try (Connection c = server.admin()) {
                statements = ServerStatus.questions(c) - statementsBefore - 1;
            }
            return new double[] {rate, (double) statements / n};
        }
    }

    /** From the last member's (parent's) end to its callback (the fan-in) starting, p50 and p99, in ms. */
    private static void latencies(MariaDbServer server, int samples) throws Exception {
        clear(server);
        Samples callback = new Samples();
        Samples fanIn = new Samples();
        try (ResilientDatabase db = open(server)) {
            JobQueue queue = JobQueue.create(db);
            Worker worker = Worker.builder(queue)
                    .queues(List.of("bench"))
                    .handler(new NoopHandler())
                    .concurrency(THREADS)
                    .build();
            worker.start();
            try {
                for (int i = 0; i < samples; i++) {
                    BatchRequest batch = queue.batch()
                            .onComplete(JobRequest.of("noop").queue("bench").build())
                            .addAll(jobs(100));
                    long id = batch.enqueue().id();
                    callback.add(waitForGap(
                            server,
                            "SELECT TIMESTAMPDIFF(MICROSECOND, (SELECT MAX(finished_at) FROM sf_job WHERE batch_id = "
                                    + id + "), c.attempt_started_at) FROM sf_job c WHERE c.callback_of = " + id
                                    + " AND c.attempt_started_at IS NOT NULL"));
                    WorkflowRequest.Builder diamond = WorkflowRequest.named("bench-diamond")
                            .step("root", JobRequest.of("noop").queue("bench").build());
                    String[] fans = new String[1000];
                    for (int f = 0; f < fans.length; f++) {
                        fans[f] = "fan-" + f;
                        diamond.step(
                                fans[f], JobRequest.of("noop").queue("bench").build(), "root");
                    }
                    diamond.step("fan-in", JobRequest.of("noop").queue("bench").build(), fans);
                    var workflow = queue.workflows().enqueue(diamond.build());
                    long fanInJob = workflow.steps().get("fan-in");
                    fanIn.add(waitForGap(
                            server,
                            "SELECT TIMESTAMPDIFF(MICROSECOND, (SELECT MAX(finished_at) FROM sf_job WHERE workflow_id = "
                                    + workflow.id() + " AND id <> " + fanInJob
                                    + "), attempt_started_at) FROM sf_job WHERE id = " + fanInJob
                                    + " AND attempt_started_at IS NOT NULL"));
                }
            } finally {
                worker.stop();
                worker.awaitTermination(Duration.ofSeconds(30));
            }
        }
        System.out.println();
        System.out.println("| from the last one's end to | p50 ms | p99 ms | samples |");
        System.out.println("|---|---:|---:|---:|");
        System.out.printf(
                Locale.ROOT,
                "| its batch's callback starting (batches of 100) | %.1f | %.1f | %d |%n",
                callback.quantile(0.5) / 1000.0,
                callback.quantile(0.99) / 1000.0,
                callback.size());
        System.out.printf(
                Locale.ROOT,
                "| the 1,000-wide fan-in starting | %.1f | %.1f | %d |%n",
                fanIn.quantile(0.5) / 1000.0,
                fanIn.quantile(0.99) / 1000.0,
                fanIn.size());
    }

    /** Waits until the query answers a row, and returns its value (microseconds). */
    private static long waitForGap(MariaDbServer server, String query) throws Exception {
        while (true) {
            try (Connection c = server.admin();
                    var s = c.createStatement();
                    var rs = s.executeQuery(query)) {
                if (rs.next()) {
                    return rs.getLong(1);
                }
            }
            Thread.sleep(20);
        }
    }
}
