package dev.steadfast.bench;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.JobRequest;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Pickup latency across processes and what an idle worker costs the server. A worker runs in a JVM of its own
 * ({@link PickupWorkerMain}), jobs are enqueued one at a time from this JVM through a queue object of its own, each
 * after a random pause of 0.2 to 1.2 s so the worker is idle when it comes. Latency is from the job row's
 * {@code created_at} to its {@code attempt_started_at}, both the server's clock. The idle cost is the server's
 * {@code Questions} counter over 10 s while only the idle worker is connected.
 *
 * <p>{@code mvn -q -B -pl steadfast-bench exec:java@pickup-bench -Dexec.args="SAMPLES"} (default 60)
 */
public final class PickupBenchmark {
    private PickupBenchmark() {}

    private record Variant(String name, boolean doorbell, long maxPollMillis) {}

    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        List<Variant> variants = List.of(
                new Variant("default: doorbell + idle poll (50-150 ms)", true, 0),
                new Variant("no doorbell (a producer on another host): idle poll 50-150 ms", false, 0),
                new Variant("no doorbell, idle poll 50 ms-2 s (the intervals before this change)", false, 2000));
        System.out.printf(
                Locale.ROOT,
                "java %s, %d cores, %d samples per variant%n",
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                samples);
        List<String> rows = new ArrayList<>();
        try (MariaDbServer server = MariaDbServer.launch()) {
            try (ResilientDatabase db = open(server)) {
                JobQueue.create(db);
            }
            for (Variant variant : variants) {
                rows.add(run(server, variant, samples));
            }
        }
        System.out.println();
        System.out.println("| worker | idle statements/s | p50 ms | p90 ms | p99 ms | max ms |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
    }

    private static String run(MariaDbServer server, Variant variant, int samples) throws Exception {
        String queue = "pickup-" + Long.toHexString(System.nanoTime());
        Process worker = startWorker(server, queue, variant);
        try (Connection watch =
                DriverManager.getConnection(server.url(JdbcDriver.MARIADB), server.user(), server.password())) {
            while (count(watch, "SELECT COUNT(*) FROM sf_worker WHERE queues = '" + queue + "'") == 0) {
                Thread.sleep(50);
            }
            Thread.sleep(3000); // started, registered, idle
            long before = ServerStatus.questions(watch);
            Thread.sleep(10_000);
            // the second reading counts itself: one statement of ours
            double idlePerSecond = (ServerStatus.questions(watch) - before - 1) / 10.0;

            Samples latency = new Samples();
            try (ResilientDatabase db = open(server)) {
                JobQueue producer = JobQueue.create(db);
                for (int i = 0; i < samples; i++) {
                    Thread.sleep(ThreadLocalRandom.current().nextLong(200, 1200));
                    long id = producer.enqueue(
                            JobRequest.of("noop").queue(queue).payload("x").build());
                    long micros;
                    while ((micros = startedAfterMicros(watch, id)) < 0) {
                        Thread.sleep(2);
                    }
                    latency.add(micros * 1000);
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "%s: idle %.1f statements/s, p50 %.1f ms%n",
                    variant.name(),
                    idlePerSecond,
                    latency.quantile(0.5) / 1e6);
            return String.format(
                    Locale.ROOT,
                    "| %s | %.1f | %.1f | %.1f | %.1f | %.1f |",
                    variant.name(),
                    idlePerSecond,
                    latency.quantile(0.5) / 1e6,
                    latency.quantile(0.9) / 1e6,
                    latency.quantile(0.99) / 1e6,
                    latency.quantile(1.0) / 1e6);
        } finally {
            worker.destroy();
            if (!worker.waitFor(60, TimeUnit.SECONDS)) {
                worker.destroyForcibly();
            }
        }
    }

    private static Process startWorker(MariaDbServer server, String queue, Variant variant) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(List.of(
                        java,
                        "-Xmx256m",
                        "-cp",
                        classPath(),
                        PickupWorkerMain.class.getName(),
                        server.url(JdbcDriver.MARIADB),
                        server.user(),
                        server.password(),
                        queue,
                        Boolean.toString(variant.doorbell()),
                        Long.toString(variant.maxPollMillis())))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        new File(System.getProperty("java.io.tmpdir"), "steadfast-pickup-worker.log")))
                .start();
    }

    // under exec:java the project's classes come from a class loader of their own, not from java.class.path
    private static String classPath() {
        if (PickupBenchmark.class.getClassLoader() instanceof URLClassLoader loader) {
            List<String> entries = new ArrayList<>();
            for (URL url : loader.getURLs()) {
                entries.add(new File(url.getPath()).getPath());
            }
            return String.join(File.pathSeparator, entries);
        }
        return System.getProperty("java.class.path");
    }

    private static ResilientDatabase open(MariaDbServer server) throws SQLException {
        return ResilientDatabase.builder()
                .jdbcUrl(server.url(JdbcDriver.MARIADB))
                .username(server.user())
                .password(server.password())
                .build();
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Microseconds from the job's creation to the start of its attempt; -1 while it has not started. */
    private static long startedAfterMicros(Connection c, long id) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("SELECT TIMESTAMPDIFF(MICROSECOND, created_at, attempt_started_at)"
                        + " FROM sf_job WHERE id = ? AND attempt_started_at IS NOT NULL")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }
}
