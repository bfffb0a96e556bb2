package dev.steadfast.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The incident that started Steadfast, replayed on an embedded MariaDB with {@code wait_timeout=2}: a
 * worker records failed tasks into a failed-task log, goes quiet past wait_timeout, has its connections
 * KILLed and the server SIGKILLed and restarted under it. The same script runs once through plain
 * HikariCP and once through Steadfast. Exit code 0 only when Steadfast recorded every task and no
 * error reached the worker.
 */
public final class IncidentDemo {
    private static final int TASKS = 12;

    private IncidentDemo() {}

    /** Records one failed task; what the worker code does. */
    interface FailureLog {
        void record(int task) throws SQLException;
    }

    public static void main(String[] args) throws Exception {
        System.exit(run() ? 0 : 1);
    }

    private static boolean run() throws Exception {
        System.out.println("starting an embedded MariaDB with wait_timeout=2 ...");
        try (MariaDbServer server = MariaDbServer.launch("--wait-timeout=2")) {
            server.execute("CREATE TABLE failed_task (id BIGINT AUTO_INCREMENT PRIMARY KEY, stack VARCHAR(16) NOT NULL,"
                    + " task INT NOT NULL, error TEXT NOT NULL)");
            String url = server.url(JdbcDriver.MARIADB);

            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url);
            config.setUsername(server.user());
            config.setPassword(server.password());
            config.setMaximumPoolSize(2);
            Result plain;
            try (HikariDataSource hikari = new HikariDataSource(config)) {
                plain = runScript(server, "hikari", task -> {
                    try (Connection c = hikari.getConnection()) {
                        insert(c, "hikari", task);
                    }
                });
            }
            Result steadfast;
            try (ResilientDatabase db = ResilientDatabase.builder()
                    .jdbcUrl(url)
                    .username(server.user())
                    .password(server.password())
                    .hikari(c -> c.setMaximumPoolSize(2))
                    .build()) {
                steadfast = runScript(
                        server,
                        "steadfast",
                        task -> db.transaction(tx -> {
                            insert(tx, "steadfast", task);
                            return null;
                        }));
            }
            long plainRows = server.queryLong("SELECT COUNT(*) FROM failed_task WHERE stack = 'hikari'");
            long steadfastRows = server.queryLong("SELECT COUNT(*) FROM failed_task WHERE stack = 'steadfast'");
            System.out.println();
            System.out.println("                          plain HikariCP   Steadfast");
            System.out.printf("failed tasks to record    %14d   %9d%n", TASKS, TASKS);
            System.out.printf("records in failed_task    %14d   %9d%n", plainRows, steadfastRows);
            System.out.printf("records lost              %14d   %9d%n", TASKS - plainRows, TASKS - steadfastRows);
            System.out.printf("errors seen by the worker %14d   %9d%n", plain.errors, steadfast.errors);
            if (plain.firstError != null) {
                System.out.println("plain HikariCP's first error: " + plain.firstError);
            }
            boolean ok = steadfastRows == TASKS && steadfast.errors == 0;
            System.out.println(
                    ok ? "OK: nothing lost, nothing surfaced." : "FAILED: Steadfast lost records or surfaced errors.");
            return ok;
        }
    }

    private record Result(int errors, String firstError) {}

    private static Result runScript(MariaDbServer server, String name, FailureLog log) throws Exception {
        System.out.println("running the worker script through " + name + " ...");
        int errors = 0;
        String first = null;
        for (int task = 1; task <= TASKS; task++) {
            switch (task) {
                case 3, 9 -> Thread.sleep(3000); // the queue is quiet for longer than wait_timeout
                case 5 -> {
                    for (long id : server.connectionIds()) {
                        server.killConnection(id); // an operator or a proxy kills idle connections
                    }
                }
                case 7 -> {
                    server.kill(); // the server crashes and comes back
                    server.start();
                }
                default -> Thread.sleep(100);
            }
            try {
                log.record(task);
            } catch (SQLException e) {
                errors++;
                if (first == null) {
                    first = e.getClass().getSimpleName() + ": " + e.getMessage();
                }
            }
        }
        return new Result(errors, first);
    }

    private static void insert(Connection c, String stack, int task) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("INSERT INTO failed_task (stack, task, error) VALUES (?, ?, ?)")) {
            s.setString(1, stack);
            s.setInt(2, task);
            s.setString(3, "task " + task + " failed for its own reasons");
            s.executeUpdate();
        }
    }
}
