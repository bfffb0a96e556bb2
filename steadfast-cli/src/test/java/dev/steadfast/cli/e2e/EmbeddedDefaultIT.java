package dev.steadfast.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.embedded.FileTrees;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
    static void freshData() throws Exception {
        // a server an earlier, failed run left behind would otherwise be joined, with data and password of its own
        Path record = HOME.resolve("server.properties");
        if (Files.exists(record)) {
            Properties p = new Properties();
            try (var in = Files.newInputStream(record)) {
                p.load(in);
            }
            ProcessHandle.of(Long.parseLong(p.getProperty("pid", "0"))).ifPresent(server -> {
                server.destroyForcibly();
                server.onExit().join();
            });
            Files.delete(record);
        }
        FileTrees.deleteQuietly(HOME.resolve("data")); // keep the installed binaries, not an earlier run's jobs
    }

    private final List<Cli.Running> started = new java.util.ArrayList<>();

    @AfterEach
    void stopWhatIsLeft() {
        started.forEach(running -> running.process().destroyForcibly());
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
        // a home opened up by hand (or copied loosely): the command takes its permissions back and says so
        Files.setPosixFilePermissions(home(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path stale = home().resolve("credentials");
        Files.writeString(stale, "a-password-of-an-earlier-server\n");
        Files.setPosixFilePermissions(stale, PosixFilePermissions.fromString("rw-r--r--"));
        // the first start of fresh data, on a port known beforehand: someone tries the template's password all along
        int firstPort;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            firstPort = free.getLocalPort();
        }
        Files.writeString(home().resolve("last-port"), Integer.toString(firstPort));
        TemplatePasswordProbe probe = new TemplatePasswordProbe(firstPort);
        probe.start();
        // a job command that prints the server's password (it may read the home, as the worker's user)
        Cli.Running worker = cli().start("work", "--concurrency", "2", "--exec", "leak=cat " + home().resolve("credentials"));
        started.add(worker);
        await().atMost(Duration.ofSeconds(90)).until(() -> worker.err().contains("working on queues"));
        probe.stop();
        assertThat(probe.attempts()).as("the probe reached the server").isPositive();
        assertThat(probe.admitted()).as("the template's password never opened the new server, not even during its start").isZero();
        assertThat(worker.err()).contains("embedded MariaDB started at jdbc:mariadb://127.0.0.1:" + firstPort + "/");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home()))).isEqualTo("rwx------");
        assertThat(worker.err()).contains(home() + " was open to other users (rwxr-xr-x): made it owner-only (rwx------)")
                .contains("credentials was open to other users (rw-r--r--): made it owner-only (rw-------)");
        assertThat(home().resolve("run").resolve("first-start.sql")).as("the new password is kept in one place only").doesNotExist();
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

        // what the job printed is shown masked: the embedded server's password is a secret like any other
        Cli.Result leak = cli().run("enqueue", "--type", "leak");
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("job (\\d+)").matcher(leak.out() + leak.err());
        assertThat(id.find()).as(leak.toString()).isTrue();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Cli.Result shown = cli().run("jobs", "show", id.group(1));
            assertThat(shown.out()).as(shown.toString()).contains("succeeded").contains("***").doesNotContain(password);
        });

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
        assertThat(stats.path("succeeded").asLong()).isGreaterThanOrEqualTo(51);
        assertThat(stats.path("queues").path("default").path("succeeded").asLong()).as("the 50 no-ops and the leak job")
                .isEqualTo(51);
    }

    @Test
    void aServerLeftBehindByAKilledProcessIsReused() throws Exception {
        Files.createDirectories(home());
        Cli.Running worker = cli().start("work", "--queue", "orphan");
        started.add(worker);
        await().atMost(Duration.ofSeconds(90)).until(() -> worker.err().contains("working on queues"));
        long serverPid = serverPid();
        worker.process().destroyForcibly().waitFor(); // SIGKILL: it cannot leave

        Cli.Result next = cli().run("enqueue", "--type", "noop", "--queue", "orphan");
        assertThat(next.exitCode()).as(next.toString()).isZero();
        assertThat(next.err()).contains("already running");
        // the dead process no longer counts: the last live one stopped the server
        await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.of(serverPid).isEmpty());
    }

    /** Logs in with the template's password, as any local user could, as often as it can until stopped. */
    private static final class TemplatePasswordProbe {
        private final String url;
        private final java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.concurrent.atomic.AtomicInteger admitted = new java.util.concurrent.atomic.AtomicInteger();
        private volatile boolean stopped;
        private final Thread thread = new Thread(this::run, "template-password-probe");

        TemplatePasswordProbe(int port) {
            url = "jdbc:mariadb://127.0.0.1:" + port + "/steadfast?connectTimeout=1000";
        }

        void start() {
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            while (!stopped) {
                try (java.sql.Connection ignored = java.sql.DriverManager.getConnection(url, "steadfast",
                        dev.steadfast.embedded.MariaDbInstallation.PASSWORD)) {
                    admitted.incrementAndGet();
                } catch (java.sql.SQLException e) {
                    if (!String.valueOf(e.getMessage()).contains("onnect")) { // refused before the server listens
                        attempts.incrementAndGet();
                    }
                }
            }
        }

        void stop() throws InterruptedException {
            stopped = true;
            thread.join(5000);
        }

        int attempts() {
            return attempts.get() + admitted.get();
        }

        int admitted() {
            return admitted.get();
        }
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
