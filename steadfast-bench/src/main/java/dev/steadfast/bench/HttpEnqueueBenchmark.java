package dev.steadfast.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.cli.web.WebServer;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.JobRequest;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import dev.steadfast.web.WebSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Enqueues over the HTTP API ({@code POST /api/jobs} with a Bearer token, as a PHP or Python producer would) against the
 * same jobs enqueued through the Java API, one job per call, the same number of client threads, rounds alternating.
 *
 * <p>{@code mvn -q -B -pl steadfast-bench exec:java@http-bench -Dexec.args="JOBS THREADS ROUNDS"} (default 10000 8 3).
 */
public final class HttpEnqueueBenchmark {
    private static final String TOKEN = "bench-token-0123456789abcdef";

    private HttpEnqueueBenchmark() {}

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        try (MariaDbServer server = MariaDbServer.launch();
                ResilientDatabase db = ResilientDatabase.builder()
                        .jdbcUrl(server.url(JdbcDriver.MARIADB))
                        .username(server.user())
                        .password(server.password())
                        .hikari(c -> c.setMaximumPoolSize(threads + 4))
                        .build();
                WebServer web =
                        WebServer.start(new WebSettings("127.0.0.1", 0, TOKEN), JobQueue.create(db), null, null)) {
            JobQueue queue = JobQueue.create(db, new ObjectMapper(), false);
            try (Connection c = server.admin()) {
                System.out.println("server: " + c.getMetaData().getDatabaseProductVersion() + ", java "
                        + System.getProperty("java.version")
                        + ", " + Runtime.getRuntime().availableProcessors() + " cores, " + jobs + " jobs per round, "
                        + threads
                        + " client threads, one job per call, " + rounds + " rounds after a warm-up round");
            }
            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI endpoint = URI.create("http://127.0.0.1:" + web.port() + "/api/jobs");
            List<Double> overHttp = new ArrayList<>();
            List<Double> direct = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            for (int round = 0; round <= rounds; round++) {
                double viaHttp = run(jobs, threads, i -> {
                    HttpResponse<String> response = http.send(
                            HttpRequest.newBuilder(endpoint)
                                    .header("Authorization", "Bearer " + TOKEN)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            "{\"type\": \"noop\", \"queue\": \"http-bench\", \"payload\": {\"n\": " + i
                                                    + "}}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 201) {
                        throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
                    }
                });
                double viaJava = run(
                        jobs,
                        threads,
                        i -> queue.enqueue(JobRequest.of("noop")
                                .queue("java-bench")
                                .payloadJson("{\"n\": " + i + "}")
                                .build()));
                System.out.printf(
                        Locale.ROOT,
                        "round %d%s: HTTP API %.0f jobs/s, Java API %.0f jobs/s%n",
                        round,
                        round == 0 ? " (warm-up)" : "",
                        viaHttp,
                        viaJava);
                if (round > 0) {
                    overHttp.add(viaHttp);
                    direct.add(viaJava);
                    ratios.add(viaHttp / viaJava);
                }
                server.execute("DELETE FROM sf_job WHERE queue IN ('http-bench', 'java-bench')");
            }
            System.out.println();
            System.out.println("| " + jobs + " enqueues, " + threads + " client threads, median of " + rounds
                    + " rounds | jobs/s |");
            System.out.println("|---|---:|");
            System.out.printf(
                    Locale.ROOT,
                    "| HTTP API (POST /api/jobs, Bearer token, JSON) | %.0f |%n",
                    Samples.median(overHttp));
            System.out.printf(Locale.ROOT, "| Java API (JobQueue.enqueue) | %.0f |%n", Samples.median(direct));
            System.out.printf(
                    Locale.ROOT, "| ratio HTTP / Java (median of per-round ratios) | %.3f |%n", Samples.median(ratios));
        }
        System.exit(0);
    }

    /** One call per job, {@code threads} at a time; jobs per second. */
    private static double run(int jobs, int threads, Call call) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < jobs; i = next.getAndIncrement()) {
                    call.run(i);
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        double rate = jobs / ((System.nanoTime() - start) / 1e9);
        pool.shutdown();
        return rate;
    }

    @FunctionalInterface
    private interface Call {
        void run(int i) throws Exception;
    }
}
