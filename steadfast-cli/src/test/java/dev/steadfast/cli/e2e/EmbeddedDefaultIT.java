package dev.steadfast.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.embedded.FileTrees;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** No URL: one embedded MariaDB per directory, shared by concurrent processes, stopped by the last. */
class EmbeddedDefaultIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** One home for both tests (MariaDB is installed once); each test leaves its server stopped. */
    private static final Path HOME = CliTestSupport.EMBEDDED_HOME.resolve("shared");

    @BeforeAll
    static void freshData() {
        FileTrees.deleteQuietly(HOME.resolve("data")); // keep the installed binaries, not an earlier run's jobs
    }

    private Cli cli() {
        return new Cli(dir).env("STEADFAST_HOME", HOME.toString());
    }

    private Path home() {
        return HOME;
    }

    @Test
    void concurrentProcessesShareOneServerThatTheLastOneStops() throws Exception {
        // the binaries are installed once per test JVM; data of this test's own server lives in its home
        Files.createDirectories(home());
        Cli.Running worker = cli().start("work", "--concurrency", "2");
        await().atMost(Duration.ofSeconds(90)).until(() -> worker.err().contains("working on queues"));
        assertThat(worker.err()).contains("embedded MariaDB started at jdbc:mariadb://127.0.0.1:");
        long serverPid = serverPid();
        int port = serverPort();
        assertThat(ProcessHandle.of(serverPid)).isPresent();

        // the server's password is this home's own, in an owner-only file; the template's and root's no longer work
        Path credentials = home().resolve("credentials");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials)))
                .isEqualTo("rw-------");
        String password = Files.readString(credentials).strip();
        assertThat(password).hasSizeGreaterThanOrEqualTo(32).isNotEqualTo(dev.steadfast.embedded.MariaDbInstallation.PASSWORD);
        String jdbc = "jdbc:mariadb://127.0.0.1:" + port + "/steadfast";
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(jdbc, "steadfast", password)) {
            assertThat(c.isValid(5)).isTrue();
        }
        for (String[] login : new String[][] {{"steadfast", dev.steadfast.embedded.MariaDbInstallation.PASSWORD}, {"root", ""}}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> java.sql.DriverManager.getConnection(jdbc, login[0], login[1]).close())
                    .as(login[0]).isInstanceOf(java.sql.SQLException.class);
        }

        // two more processes at the same moment: both find the running server, none starts another
        List<CompletableFuture<Cli.Result>> enqueues = List.of(
                CompletableFuture.supplyAsync(() -> cli().run("enqueue", "--type", "noop", "--count", "20")),
                CompletableFuture.supplyAsync(() -> cli().run("enqueue", "--type", "noop", "--count", "30")));
        for (CompletableFuture<Cli.Result> enqueue : enqueues) {
            Cli.Result result = enqueue.get();
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.err()).contains("embedded MariaDB already running");
        }
        assertThat(serverPid()).isEqualTo(serverPid);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Cli.Result stats = cli().run("stats", "--json");
            assertThat(JSON.readTree(stats.out()).path("queues").path("default").path("succeeded").asLong())
                    .as(stats.toString()).isEqualTo(50);
        });
        assertThat(ProcessHandle.of(serverPid)).as("the worker still uses the server").isPresent();

        worker.terminate();
        Cli.Result stopped = worker.await(Duration.ofSeconds(60));
        assertThat(stopped.exitCode()).as(stopped.toString()).isZero();
        assertThat(stopped.err()).contains("stopping the embedded MariaDB");
        await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.of(serverPid).isEmpty());
        assertThat(home().resolve("server.properties")).doesNotExist();

        // the data outlives the server: the next run starts it again, on the same port, and finds the jobs
        Cli.Result again = cli().run("stats", "--json");
        assertThat(again.err()).contains("embedded MariaDB started at jdbc:mariadb://127.0.0.1:" + port + "/");
        JsonNode stats = JSON.readTree(again.out());
        assertThat(stats.path("succeeded").asLong()).isGreaterThanOrEqualTo(50);
        assertThat(stats.path("queues").path("default").path("succeeded").asLong()).isEqualTo(50);
    }

    @Test
    void aServerLeftBehindByAKilledProcessIsReused() throws Exception {
        Files.createDirectories(home());
        Cli.Running worker = cli().start("work", "--queue", "orphan");
        await().atMost(Duration.ofSeconds(90)).until(() -> worker.err().contains("working on queues"));
        long serverPid = serverPid();
        worker.process().destroyForcibly().waitFor(); // SIGKILL: it cannot leave

        Cli.Result next = cli().run("enqueue", "--type", "noop", "--queue", "orphan");
        assertThat(next.exitCode()).as(next.toString()).isZero();
        assertThat(next.err()).contains("already running");
        // the dead process no longer counts: the last live one stopped the server
        await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.of(serverPid).isEmpty());
    }

    private long serverPid() throws Exception {
        return Long.parseLong(serverRecord().getProperty("pid"));
    }

    private int serverPort() throws Exception {
        return Integer.parseInt(serverRecord().getProperty("port"));
    }

    private Properties serverRecord() throws Exception {
        Properties p = new Properties();
        try (var in = Files.newInputStream(home().resolve("server.properties"))) {
            p.load(in);
        }
        return p;
    }
}
