package dev.steadfast.bench;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.JobRequest;
import dev.steadfast.queue.Worker;
import dev.steadfast.testkit.GaleraCluster;
import dev.steadfast.testkit.GaleraNode;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Steadfast on one server against a three-node Galera cluster, all from the same Debian MariaDB build and settings:
 * throughput of two workers (4 threads each, no-op jobs) on the single server, on the cluster through one writer (both
 * name every node; Steadfast picks the first), and on the cluster with each worker on its own node (multi-writer),
 * with the transactions the server rolled back per 1,000 jobs (deadlocks on one server, certification conflicts on the
 * cluster; both error 1213, both replayed); then, with Galera's production failure detection, the
 * time from the writer node's death (SIGKILL), its partition from the others, or its clean shutdown to the first job
 * completed on the survivors while jobs keep coming.
 *
 * <p>{@code mvn -q -B -pl steadfast-bench exec:java@cluster-bench -Dexec.args="JOBS ROUNDS EVENTS"} (default 20000 3
 * 3; a fourth argument {@code fast} measures only the failover part, on a cluster suspecting a silent node after 2 s
 * instead of Galera's 5; {@code batch} measures only the certification conflicts of a batch's members finishing on
 * two writer nodes, against the same jobs without a batch). Needs root and Debian's {@code mariadb-server}, {@code galera-4} and {@code rsync}.
 */
public final class ClusterBenchmark {
    private static final int THREADS_PER_WORKER = 4;

    private ClusterBenchmark() {}

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int events = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        if (args.length > 3 && args[3].equals("batch")) { // what a batch's counter row costs a multi-writer cluster
            try (GaleraCluster cluster = GaleraCluster.builder().start()) {
                batchConflicts(cluster, jobs, rounds);
            }
            System.exit(0);
        }
        if (args.length > 3 && args[3].equals("fast")) { // only the failover part, with the tests' 2 s suspect timeout
            try (GaleraCluster cluster = GaleraCluster.builder().start()) {
                System.out.println("cluster: 3 nodes on loopback, evs.suspect_timeout=PT2S (the testkit's)");
                failover(cluster, events);
            }
            System.exit(0);
        }
        try (GaleraCluster single =
                        GaleraCluster.builder().size(1).withoutGalera().start();
                GaleraCluster cluster =
                        GaleraCluster.builder().productionTimeouts().start()) {
            try (Connection c = single.node(1).admin()) {
                System.out.println("server: " + c.getMetaData().getDatabaseProductVersion() + " (Debian), java "
                        + System.getProperty("java.version") + ", "
                        + Runtime.getRuntime().availableProcessors()
                        + " cores; " + jobs + " no-op jobs per run, two workers of " + THREADS_PER_WORKER
                        + " threads; " + rounds + " rounds after a warm-up round; cluster: 3 nodes on loopback,"
                        + " Galera's default failure detection");
            }
            List<Setup> setups = List.of(
                    new Setup(
                            "single server",
                            single.node(1),
                            single.node(1).url(JdbcDriver.MARIADB),
                            single.node(1).url(JdbcDriver.MARIADB)),
                    new Setup(
                            "cluster, one writer",
                            cluster.node(1),
                            cluster.url(JdbcDriver.MARIADB),
                            cluster.url(JdbcDriver.MARIADB)),
                    new Setup(
                            "cluster, multi-writer",
                            cluster.node(1),
                            cluster.node(1).url(JdbcDriver.MARIADB),
                            cluster.node(2).url(JdbcDriver.MARIADB)));
            throughput(setups, jobs, rounds);
            failover(cluster, events);
        }
        System.exit(0);
    }

    /** Where the two workers connect. */
    private record Setup(String name, TestDatabase admin, String urlA, String urlB) {}

    private record Run(double jobsPerSecond, double conflictsPer1000) {}

    private static void throughput(List<Setup> setups, int jobs, int rounds) throws Exception {
        List<List<Run>> runs = new ArrayList<>();
        setups.forEach(s -> runs.add(new ArrayList<>()));
        for (int round = 0; round <= rounds; round++) {
            for (int i = 0; i < setups.size(); i++) {
                Run run = drain(setups.get(i), jobs);
                System.out.printf(
                        Locale.ROOT,
                        "round %d%s, %s: %.0f jobs/s, %.1f transactions rolled back (deadlock or certification conflict, 1213) per 1,000 jobs%n",
                        round,
                        round == 0 ? " (warm-up)" : "",
                        setups.get(i).name(),
                        run.jobsPerSecond(),
                        run.conflictsPer1000());
                if (round > 0) {
                    runs.get(i).add(run);
                }
            }
        }
        double base =
                Samples.median(runs.get(0).stream().map(Run::jobsPerSecond).toList());
        for (int i = 0; i < setups.size(); i++) {
            double rate =
                    Samples.median(runs.get(i).stream().map(Run::jobsPerSecond).toList());
            double conflicts = Samples.median(
                    runs.get(i).stream().map(Run::conflictsPer1000).toList());
            System.out.printf(
                    Locale.ROOT,
                    "median %s: %.0f jobs/s (%.2f of the single server), %.1f rolled back per 1,000 jobs%n",
                    setups.get(i).name(),
                    rate,
                    rate / base,
                    conflicts);
        }
    }

    /**
     * The same jobs drained by two workers on two nodes (multi-writer), as one batch and without one, alternately: what
     * the batch's counter row, updated by both nodes' success writes, costs in certification conflicts per 1,000 jobs.
     */
    private static void batchConflicts(GaleraCluster cluster, int jobs, int rounds) throws Exception {
        Setup multi = new Setup(
                "cluster, multi-writer",
                cluster.node(1),
                cluster.node(1).url(JdbcDriver.MARIADB),
                cluster.node(2).url(JdbcDriver.MARIADB));
        System.out.println("cluster: 3 nodes on loopback; " + jobs + " no-op jobs per run, two workers of "
                + THREADS_PER_WORKER + " threads, each on its own node; " + rounds + " rounds after a warm-up round");
        List<Run> plain = new ArrayList<>();
        List<Run> batched = new ArrayList<>();
        for (int round = 0; round <= rounds; round++) {
            Run p = drain(multi, jobs, false);
            Run b = drain(multi, jobs, true);
            System.out.printf(
                    Locale.ROOT,
                    "round %d%s: without a batch %.0f jobs/s, %.1f rolled back per 1,000 jobs; in one batch %.0f jobs/s,"
                            + " %.1f rolled back per 1,000 jobs%n",
                    round,
                    round == 0 ? " (warm-up)" : "",
                    p.jobsPerSecond(),
                    p.conflictsPer1000(),
                    b.jobsPerSecond(),
                    b.conflictsPer1000());
            if (round > 0) {
                plain.add(p);
                batched.add(b);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "median: without a batch %.0f jobs/s, %.1f rolled back per 1,000; in one batch %.0f jobs/s, %.1f rolled"
                        + " back per 1,000%n",
                Samples.median(plain.stream().map(Run::jobsPerSecond).toList()),
                Samples.median(plain.stream().map(Run::conflictsPer1000).toList()),
                Samples.median(batched.stream().map(Run::jobsPerSecond).toList()),
                Samples.median(batched.stream().map(Run::conflictsPer1000).toList()));
    }

    private static Run drain(Setup setup, int jobs) throws Exception {
        return drain(setup, jobs, false);
    }

    private static Run drain(Setup setup, int jobs, boolean inOneBatch) throws Exception {
        try (ResilientDatabase a = open(setup.urlA(), setup.admin());
                ResilientDatabase b = open(setup.urlB(), setup.admin())) {
            JobQueue queueA = JobQueue.create(a);
            setup.admin().execute("DELETE FROM sf_job WHERE queue = 'bench'");
            List<JobRequest> all = new ArrayList<>();
            for (int start = 0; start < jobs; start += 1000) {
                List<JobRequest> batch = new ArrayList<>();
                for (int i = start; i < Math.min(jobs, start + 1000); i++) {
                    batch.add(JobRequest.of("noop").queue("bench").build());
                }
                if (inOneBatch) {
                    all.addAll(batch);
                } else {
                    queueA.enqueueAll(batch);
                }
            }
            if (inOneBatch) {
                queueA.batch().addAll(all).enqueue();
            }
            long conflictsBefore = conflicts(a) + conflicts(b);
            NoopHandler one = new NoopHandler();
            NoopHandler two = new NoopHandler();
            Worker first = worker(queueA, one);
            Worker second = worker(JobQueue.create(b), two);
            long start = System.nanoTime();
            first.start();
            second.start();
            while (one.done.get() + two.done.get() < jobs) {
                Thread.sleep(5);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            first.stop();
            second.stop();
            first.awaitTermination(Duration.ofSeconds(30));
            second.awaitTermination(Duration.ofSeconds(30));
            long conflicts = conflicts(a) + conflicts(b) - conflictsBefore;
            return new Run(jobs / seconds, conflicts * 1000.0 / jobs);
        }
    }

    /**
     * Jobs keep coming (a producer enqueues about 300 a second through the cluster URL) to two single-writer workers;
     * the writer node is then SIGKILLed, cut off, or stopped cleanly, and the time to the first job finished on a
     * survivor after that moment is read from the survivors' own {@code finished_at}.
     */
    private static void failover(GaleraCluster cluster, int events) throws Exception {
        String url = cluster.url(JdbcDriver.MARIADB);
        GaleraNode writer = cluster.node(1);
        GaleraNode survivor = cluster.node(2);
        AtomicBoolean producing = new AtomicBoolean(true);
        List<List<Long>> times = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        String[] kinds = {
            "SIGKILL of the writer node", "writer node cut off (gmcast.isolate)", "clean shutdown of the writer node"
        };
        try (ResilientDatabase producerDb = open(url, writer);
                ResilientDatabase a = open(url, writer);
                ResilientDatabase b = open(url, writer)) {
            JobQueue producerQueue = JobQueue.create(producerDb);
            survivor.execute("DELETE FROM sf_job WHERE queue = 'bench'");
            Thread producer = new Thread(() -> produce(producerQueue, producing));
            producer.start();
            NoopHandler one = new NoopHandler();
            NoopHandler two = new NoopHandler();
            Worker first = worker(JobQueue.create(a), one);
            Worker second = worker(JobQueue.create(b), two);
            first.start();
            second.start();
            try {
                for (int event = 0; event < events; event++) {
                    for (int kind = 0; kind < kinds.length; kind++) {
                        cluster.heal();
                        Thread.sleep(8000); // the failback check (every 5 s) brings every connection back to node 1
                        Timestamp at;
                        if (kind == 0) {
                            writer.kill();
                        } else if (kind == 1) {
                            writer.isolate();
                        } else {
                            writer.stop();
                        }
                        at = now(survivor);
                        long millis = firstFinishedAfter(survivor, at);
                        times.get(kind).add(millis);
                        System.out.printf(
                                Locale.ROOT, "%s: first job finished on a survivor %d ms later%n", kinds[kind], millis);
                    }
                }
            } finally {
                producing.set(false);
                producer.join();
                first.stop();
                second.stop();
                first.awaitTermination(Duration.ofSeconds(30));
                second.awaitTermination(Duration.ofSeconds(30));
                cluster.heal();
            }
        }
        for (int kind = 0; kind < kinds.length; kind++) {
            System.out.printf(
                    Locale.ROOT,
                    "median %s: %.0f ms to the first job on a survivor (runs %s)%n",
                    kinds[kind],
                    Samples.median(
                            times.get(kind).stream().map(Long::doubleValue).toList()),
                    times.get(kind));
        }
    }

    private static void produce(JobQueue queue, AtomicBoolean producing) {
        while (producing.get()) {
            try {
                List<JobRequest> batch = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    batch.add(JobRequest.of("noop").queue("bench").build());
                }
                queue.enqueueAll(batch);
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (SQLException | RuntimeException e) {
                System.out.println("producer: " + e.getMessage()); // the producer heals like the workers; say so if not
            }
        }
    }

    private static Timestamp now(TestDatabase server) throws SQLException {
        try (Connection c = server.admin();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT NOW(3)")) {
            rs.next();
            return rs.getTimestamp(1);
        }
    }

    private static long firstFinishedAfter(TestDatabase survivor, Timestamp at) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection c = survivor.admin();
                    PreparedStatement s = c.prepareStatement("SELECT TIMESTAMPDIFF(MICROSECOND, ?, MIN(finished_at))"
                            + " FROM sf_job WHERE queue = 'bench' AND state = 'succeeded' AND finished_at > ?")) {
                s.setTimestamp(1, at);
                s.setTimestamp(2, at);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next() && rs.getObject(1) != null) {
                        return rs.getLong(1) / 1000;
                    }
                }
            } catch (SQLException e) {
                // the survivor is busy reconfiguring; ask again
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no job finished on a survivor within 2 minutes");
    }

    private static Worker worker(JobQueue queue, NoopHandler handler) {
        return Worker.builder(queue)
                .queues(List.of("bench"))
                .handler(handler)
                .concurrency(THREADS_PER_WORKER)
                .build();
    }

    private static long conflicts(ResilientDatabase db) {
        return db.healingStats().failuresByKind().getOrDefault("transaction_rolled_back", 0L);
    }

    private static ResilientDatabase open(String url, TestDatabase server) throws SQLException {
        return ResilientDatabase.builder()
                .jdbcUrl(url)
                .username(server.user())
                .password(server.password())
                .build();
    }
}
