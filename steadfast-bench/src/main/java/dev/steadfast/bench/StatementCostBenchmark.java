package dev.steadfast.bench;

import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What one more statement costs inside a one-row write transaction, with plain JDBC and nothing of Steadfast's:
 * whether a commit marker costs its row or its round trip. The variants take turns operation by operation, so that
 * this machine's noise hits them alike.
 *
 * <p>Arguments: {@code [operations per variant]} (default 4000).
 */
public final class StatementCostBenchmark {
    private StatementCostBenchmark() {}

    /** One way to run the transaction {@code UPDATE bench ... WHERE id = ?}. */
    private record Shape(String name, String start, String extra) {}

    private static final List<Shape> SHAPES = List.of(
            new Shape("START TRANSACTION, UPDATE, COMMIT", "START TRANSACTION", null),
            new Shape(
                    "+ marker INSERT as a statement of its own",
                    "START TRANSACTION",
                    "INSERT INTO marker (id) VALUES (X'%s')"),
            new Shape(
                    "+ a second UPDATE of another row",
                    "START TRANSACTION",
                    "UPDATE bench SET v = v + 1 WHERE id = %d"),
            new Shape("+ a primary-key SELECT", "START TRANSACTION", "SELECT v FROM bench WHERE id = %d"),
            new Shape(
                    "marker in the starting statement (MariaDB compound)",
                    "BEGIN NOT ATOMIC START TRANSACTION; INSERT INTO marker (id) VALUES (X'%s'); END",
                    null));

    public static void main(String[] args) throws Exception {
        int ops = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
        try (MariaDbServer server = MariaDbServer.launch()) {
            try (Connection c = server.admin();
                    Statement s = c.createStatement()) {
                Operations.createTable(c);
                s.execute(
                        "CREATE TABLE marker (id BINARY(16) NOT NULL PRIMARY KEY,"
                                + " created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), KEY marker_created (created_at))");
                System.out.println("server: " + c.getMetaData().getDatabaseProductVersion() + ", " + ops
                        + " transactions per variant, variants in turn");
            }
            for (JdbcDriver driver : JdbcDriver.values()) {
                try (Connection c = DriverManager.getConnection(server.url(driver), server.user(), server.password())) {
                    report(driver, measure(c, ops));
                }
            }
        }
    }

    private static Samples[] measure(Connection c, int ops) throws SQLException {
        Samples[] samples = new Samples[SHAPES.size()];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = new Samples();
        }
        int warmUp = ops / 10;
        for (int op = -warmUp; op < ops; op++) {
            for (int v = 0; v < SHAPES.size(); v++) {
                long id = 1 + ThreadLocalRandom.current().nextInt(Operations.ROWS);
                long start = System.nanoTime();
                run(c, SHAPES.get(v), id);
                if (op >= 0) {
                    samples[v].add(System.nanoTime() - start);
                }
            }
        }
        return samples;
    }

    private static void run(Connection c, Shape shape, long id) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(fill(shape.start(), id));
            Operations.update(c, id);
            if (shape.extra() != null) {
                s.execute(fill(shape.extra(), id));
            }
            s.execute("COMMIT");
        }
    }

    private static String fill(String sql, long id) {
        if (sql.contains("X'%s'")) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            return String.format(
                    sql,
                    HexFormat.of()
                            .formatHex(ByteBuffer.allocate(16)
                                    .putLong(random.nextLong())
                                    .putLong(random.nextLong())
                                    .array()));
        }
        return sql.contains("%d") ? String.format(sql, 1 + id % (Operations.ROWS - 1)) : sql;
    }

    private static void report(JdbcDriver driver, Samples[] samples) {
        double base = samples[0].quantile(0.5);
        System.out.println();
        System.out.println("#### " + driver.name().toLowerCase(Locale.ROOT) + " driver");
        System.out.println();
        System.out.println("| transaction | median µs | vs START TRANSACTION, UPDATE, COMMIT |");
        System.out.println("|---|---:|---:|");
        for (int v = 0; v < SHAPES.size(); v++) {
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %.1f | %.3f |%n",
                    SHAPES.get(v).name(),
                    samples[v].quantile(0.5) / 1000.0,
                    samples[v].quantile(0.5) / base);
        }
    }
}
