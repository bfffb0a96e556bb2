package dev.steadfast.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.steadfast.embedded.MariaDbInstallation;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.PrivateMariaDb;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's PHP worker, ported (examples/php): jobs enqueued from PHP over the HTTP API, run by `work --exec` as one
 * PHP process each with a PDO connection of its own, while every database connection is KILLed now and then and the
 * server is SIGKILLed and restarted: each order booked exactly once, the worker stopped by SIGTERM with exit 0.
 */
class PhpExampleIT {
    private static final Path EXAMPLE =
            Path.of("..", "examples", "php").toAbsolutePath().normalize();

    @RegisterExtension
    static final PrivateMariaDb DB = new PrivateMariaDb();

    @TempDir
    Path dir;

    @Test
    void phpJobsEnqueuedOverHttpAreBookedOnceEachThroughKilledConnections() throws Exception {
        boolean present = Files.isExecutable(Path.of("/usr/bin/php")) && phpHasPdoMysql();
        if (System.getenv("STEADFAST_REQUIRE_PHP") != null) {
            assertThat(present)
                    .as("php-cli and php-mysql must be installed (.ci/run installs them)")
                    .isTrue();
        }
        Assumptions.assumeTrue(present, "Debian's php-cli and php-mysql are not installed; .ci/run installs them");

        DB.server().execute(Files.readString(EXAMPLE.resolve("schema.sql")));
        Path token = dir.resolve("api-token");
        Files.writeString(token, "php-example-token-0123456789");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Cli cli = CliTestSupport.against(dir, DB.server())
                .env(
                        "APP_DB_DSN",
                        "mysql:host=127.0.0.1;port=" + DB.server().port() + ";dbname=" + MariaDbInstallation.DATABASE)
                .env("APP_DB_USER", DB.server().user())
                .env("APP_DB_PASSWORD", DB.server().password());
        String url = DB.server().url(JdbcDriver.MARIADB);
        assertThat(cli.run("migrate", "--url", url).exitCode()).isZero();
        Cli.Running worker = cli.start(
                "work",
                "--url",
                url,
                "--concurrency",
                "4",
                "--exec",
                "book=php " + EXAMPLE.resolve("book.php"),
                "--exec-env",
                "APP_DB_DSN,APP_DB_USER,APP_DB_PASSWORD",
                "--http-port",
                Integer.toString(port),
                "--token-file",
                token.toString());
        AtomicBoolean killing = new AtomicBoolean(true);
        Thread killer = new Thread(() -> {
            while (killing.get()) {
                try {
                    Thread.sleep(400);
                    for (long id : DB.server().connectionIds()) {
                        DB.server().killConnection(id); // the worker's and the PHP processes' own, mid-job or not
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // the server is down for its restart: KILL again once it is back
                }
            }
        });
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> worker.err().contains("dashboard at http://"));
            killer.start();
            Map<Integer, String> jobs = new HashMap<>();
            for (int order = 1; order <= 20; order++) {
                jobs.put(
                        order,
                        php(
                                port,
                                "php-example-token-0123456789",
                                Integer.toString(order),
                                Integer.toString(order * 100)));
            }
            String again =
                    php(port, "php-example-token-0123456789", "7", "700"); // the same order again: books nothing more
            jobs.put(21, again);
            // the server SIGKILLed and restarted while the jobs run: attempts cut off are retried, none books twice
            DB.server().kill();
            DB.server().start();
            assertThat(phpRun(port, "wrong-token", "99", "1").exitCode)
                    .as("a wrong token is refused")
                    .isEqualTo(1);
            long distinctJobs = jobs.values().stream().distinct().count(); // 20, or 21 when order 7's first job had run
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> DB.server()
                                    .queryLong(
                                            "SELECT COUNT(*) FROM sf_job WHERE type = 'book' AND state = 'succeeded'")
                            == distinctJobs);
        } finally {
            killing.set(false);
            killer.join();
        }
        assertThat(DB.server().queryLong("SELECT COUNT(*) FROM php_ledger")).isEqualTo(20);
        assertThat(DB.server().queryLong("SELECT COUNT(DISTINCT order_id) FROM php_ledger"))
                .isEqualTo(20);
        assertThat(DB.server().queryLong("SELECT SUM(amount) FROM php_ledger")).isEqualTo(21_000);
        worker.terminate();
        Cli.Result stopped = worker.await(Duration.ofSeconds(60));
        assertThat(stopped.exitCode()).as(stopped.toString()).isZero();
    }

    private record Run(int exitCode, String out, String err) {}

    private String php(int port, String token, String... args) throws Exception {
        Run run = phpRun(port, token, args);
        assertThat(run.exitCode).as(run.err).isZero();
        return run.out.trim();
    }

    private Run phpRun(int port, String token, String... args) throws Exception {
        List<String> command =
                new ArrayList<>(List.of("php", EXAMPLE.resolve("enqueue.php").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("STEADFAST_API", "http://127.0.0.1:" + port);
        builder.environment().put("STEADFAST_API_TOKEN", token);
        Path out = Files.createTempFile(dir, "php-out", ".txt");
        Path err = Files.createTempFile(dir, "php-err", ".txt");
        Process process =
                builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(
                process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static boolean phpHasPdoMysql() {
        try {
            Process process =
                    new ProcessBuilder("php", "-m").redirectErrorStream(true).start();
            String modules = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return process.waitFor(10, TimeUnit.SECONDS) && modules.contains("pdo_mysql");
        } catch (Exception e) {
            return false;
        }
    }
}
