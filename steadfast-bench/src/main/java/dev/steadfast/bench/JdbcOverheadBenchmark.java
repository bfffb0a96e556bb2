package dev.steadfast.bench;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import dev.steadfast.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * What Steadfast costs on the hot path, side by side with its peers in one run on one server: a
 * primary-key SELECT and a one-row write transaction, single client, per-operation latency. Variants
 * run interleaved in rounds (order shuffled each round) so that machine noise hits all of them alike.
 *
 * <p>Arguments: {@code [rounds] [opsPerRound]} (default 15 2000).
 */
public final class JdbcOverheadBenchmark {
    private JdbcOverheadBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int ops = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        try (MariaDbServer server = MariaDbServer.launch()) {
            try (Connection c = server.admin()) {
                Operations.createTable(c);
                System.out.println("server: " + c.getMetaData().getDatabaseProductVersion());
            }
            System.out.printf(
                    "java %s, %d cores, %d rounds x %d ops per variant and operation%n%n",
                    System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), rounds, ops);
            for (JdbcDriver driver : JdbcDriver.values()) {
                run(server, driver, rounds, ops);
            }
        }
    }

    private static void run(TestDatabase server, JdbcDriver driver, int rounds, int ops) throws Exception {
        String url = server.url(driver);
        List<Variant> variants = List.of(
                new HikariVariant("HikariCP", url, server.user(), server.password(), 4, HikariVariant.Mode.PLAIN),
                new HikariVariant(
                        "HikariCP + connectionTestQuery",
                        url,
                        server.user(),
                        server.password(),
                        4,
                        HikariVariant.Mode.TEST_QUERY),
                new HikariVariant(
                        "HikariCP + ping before every use",
                        url,
                        server.user(),
                        server.password(),
                        4,
                        HikariVariant.Mode.PING_EVERY_USE),
                new SteadfastVariant(
                        "Steadfast (commit marker)", open(server, url, true, Duration.ofMillis(10)), false),
                new SteadfastVariant(
                        "Steadfast, outcome probe (no marker)", open(server, url, true, Duration.ofMillis(10)), true),
                new SteadfastVariant(
                        "Steadfast, probe, socket check on every borrow", open(server, url, true, Duration.ZERO), true),
                new SteadfastVariant(
                        "Steadfast, probe, socket check off", open(server, url, false, Duration.ZERO), true));
        Map<String, Samples> selects = new LinkedHashMap<>();
        Map<String, Samples> writes = new LinkedHashMap<>();
        for (Variant v : variants) {
            selects.put(v.name(), new Samples());
            writes.put(v.name(), new Samples());
        }
        Random random = new Random(42);
        List<Variant> order = new ArrayList<>(variants);
        for (int round = -2; round < rounds; round++) { // two warm-up rounds are not recorded
            Collections.shuffle(order, random);
            for (Variant v : order) {
                measure(v, ops, random, round >= 0 ? selects.get(v.name()) : null, true);
                measure(v, ops, random, round >= 0 ? writes.get(v.name()) : null, false);
            }
        }
        for (Variant v : variants) {
            v.close();
        }
        System.out.println("### " + driver.name().toLowerCase(Locale.ROOT) + " driver");
        report("primary-key SELECT", selects);
        report("one-row write transaction", writes);
    }

    private static ResilientDatabase open(TestDatabase server, String url, boolean liveness, Duration checkAfterIdle)
            throws SQLException {
        return ResilientDatabase.builder()
                .jdbcUrl(url)
                .username(server.user())
                .password(server.password())
                .livenessCheck(liveness)
                .livenessCheckAfterIdle(checkAfterIdle)
                .hikari(c -> c.setMaximumPoolSize(4))
                .build();
    }

    private static void measure(Variant variant, int ops, Random random, Samples samples, boolean select)
            throws SQLException {
        for (int i = 0; i < ops; i++) {
            long id = 1 + random.nextInt(Operations.ROWS);
            long start = System.nanoTime();
            if (select) {
                variant.select(id);
            } else {
                variant.write(id);
            }
            long took = System.nanoTime() - start;
            if (samples != null) {
                samples.add(took);
            }
        }
    }

    private static void report(String operation, Map<String, Samples> byVariant) {
        Samples baseline = byVariant.get("HikariCP");
        double baseMedian = baseline.quantile(0.5);
        double baseP99 = baseline.quantile(0.99);
        System.out.println();
        System.out.println("#### " + operation + " (" + baseline.size() + " samples each)");
        System.out.println();
        System.out.println("| variant | median µs | p99 µs | median vs HikariCP | p99 vs HikariCP |");
        System.out.println("|---|---:|---:|---:|---:|");
        byVariant.forEach((name, s) -> System.out.printf(
                Locale.ROOT,
                "| %s | %.1f | %.1f | %.3f | %.3f |%n",
                name,
                s.quantile(0.5) / 1000.0,
                s.quantile(0.99) / 1000.0,
                s.quantile(0.5) / baseMedian,
                s.quantile(0.99) / baseP99));
        System.out.println();
    }
}
