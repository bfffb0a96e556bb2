package dev.steadfast.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.embedded.FileTrees;
import dev.steadfast.embedded.MariaDbInstallation;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No URL: one embedded MariaDB per directory, shared by concurrent processes and kept running between commands until
 * {@code steadfast db stop}.
 */
class EmbeddedDefaultIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** One home for both tests (MariaDB is installed once); each test leaves its server stopped. */
    private static final Path HOME = CliTestSupport.EMBEDDED_HOME.resolve("shared");

    @BeforeAll
    static void freshData() throws Exception {
        // a server an earlier, failed run left behind would otherwise be joined, with data and password of its own
        killRecordedServer();
        FileTrees.deleteQuietly(HOME.resolve("data")); // keep the installed binaries, not an earlier run's jobs
        Files.deleteIfExists(HOME.resolve("idle-stop")); // nor an idle time an earlier, failed run set
    }

    /** The server is kept running between commands: whatever a failed test left running is stopped here. */
    @AfterAll
    static void noServerLeftRunning() throws Exception {
        killRecordedServer();
    }

    private static void killRecordedServer() throws Exception {
        Path record = HOME.resolve("server.properties");
        if (Files.exists(record)) {
            Properties p = new Properties();
            try (var in = Files.newInputStream(record)) {
                p.load(in);
            }
            ProcessHandle.of(Long.parseLong(p.getProperty("pid", "0")))
                    .filter(h ->
                            h.info().command().map(c -> c.endsWith("mariadbd")).orElse(false))
                    .ifPresent(server -> {
                        server.destroyForcibly();
                        server.onExit().join();
                    });
            Files.delete(record);
        }
    }

    private final List<Cli.Running> started = new ArrayList<>();

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
        try (ServerSocket free = new ServerSocket(0)) {
            firstPort = free.getLocalPort();
        }
        Files.writeString(home().resolve("last-port"), Integer.toString(firstPort));
        TemplatePasswordProbe probe = new TemplatePasswordProbe(firstPort);
        probe.start();
        // a job command that prints the server's password (it may read the home, as the worker's user)
        Cli.Running worker =
                cli().start("work", "--concurrency", "2", "--exec", "leak=cat " + home().resolve("credentials"));
        started.add(worker);
        await().atMost(Duration.ofSeconds(90)).until(() -> worker.err().contains("working on queues"));
        probe.stop();
        assertThat(probe.attempts()).as("the probe reached the server").isPositive();
        assertThat(probe.admitted())
                .as("the template's password never opened the new server, not even during its start")
                .isZero();
        assertThat(worker.err()).contains("embedded MariaDB started at jdbc:mariadb://127.0.0.1:" + firstPort + "/");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home())))
                .isEqualTo("rwx------");
        assertThat(worker.err())
                .contains(home() + " was open to other users (rwxr-xr-x): made it owner-only (rwx------)")
                .contains("credentials was open to other users (rw-r--r--): made it owner-only (rw-------)");
        assertThat(home().resolve("run").resolve("first-start.sql"))
                .as("the new password is kept in one place only")
                .doesNotExist();
        long serverPid = serverPid();
        int port = serverPort();
        assertThat(ProcessHandle.of(serverPid)).isPresent();

        // the server's password is this home's own, in an owner-only file; the template's and root's no longer work
        Path credentials = home().resolve("credentials");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials)))
                .isEqualTo("rw-------");
        String password = Files.readString(credentials).strip();
        assertThat(password).hasSizeGreaterThanOrEqualTo(32).isNotEqualTo(MariaDbInstallation.PASSWORD);
        String jdbc = "jdbc:mariadb://127.0.0.1:" + port + "/steadfast";
        try (Connection c = DriverManager.getConnection(jdbc, "steadfast", password)) {
            assertThat(c.isValid(5)).isTrue();
        }
        for (String[] login : new String[][] {{"steadfast", MariaDbInstallation.PASSWORD}, {"root", ""}}) {
            Assertions.assertThatThrownBy(() -> DriverManager.getConnection(jdbc, login[0], login[1])
                            .close())
                    .as(login[0])
                    .isInstanceOf(SQLException.class);
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
            assertThat(JSON.readTree(stats.out())
                            .path("queues")
                            .path("default")
                            .path("succeeded")
                            .asLong())
                    .as(stats.toString())
                    .isEqualTo(50);
        });
        assertThat(ProcessHandle.of(serverPid))
                .as("the worker still uses the server")
                .isPresent();

        // what the job printed is shown masked: the embedded server's password is a secret like any other
        Cli.Result leak = cli().run("enqueue", "--type", "leak");
        Matcher id = Pattern.compile("job (\\d+)").matcher(leak.out() + leak.err());
        assertThat(id.find()).as(leak.toString()).isTrue();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Cli.Result shown = cli().run("jobs", "show", id.group(1));
            assertThat(shown.out())
                    .as(shown.toString())
                    .contains("succeeded")
                    .contains("***")
                    .doesNotContain(password);
        });

        // while the worker runs, a stop is refused: it would pull the database from under it
        Cli.Result refused = cli().run("db", "stop");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err())
                .contains("not stopping the embedded MariaDB")
                .contains("pid " + worker.process().pid())
                .contains("--force");
        assertThat(ProcessHandle.of(serverPid)).isPresent();
        assertThat(worker.err())
                .as("the first start says the server stays up, and how to stop it")
                .contains(
                        "the embedded MariaDB stays up for the next commands, until unused for 1h or until 'steadfast db stop'");
        assertThat(worker.err())
                .as("the quick schema check asks before it reads a history table a new database lacks")
                .doesNotContain("1146");

        worker.terminate();
        Cli.Result stopped = worker.await(Duration.ofSeconds(60));
        assertThat(stopped.exitCode()).as(stopped.toString()).isZero();
        assertThat(stopped.err()).doesNotContain("stopping the embedded MariaDB");

        // the server outlives the last command, and the next one uses it instead of starting another
        JsonNode status = JSON.readTree(cli().run("db", "status", "--json").out());
        assertThat(status.path("running").asBoolean()).as(status.toString()).isTrue();
        assertThat(status.path("pid").asLong()).isEqualTo(serverPid);
        assertThat(status.path("port").asInt()).isEqualTo(port);
        assertThat(status.path("data_dir").asText())
                .isEqualTo(home().resolve("data").toString());
        assertThat(status.path("data_bytes").asLong()).isPositive();
        assertThat(status.path("clients").size()).as("the worker has left").isZero();
        Cli.Result again = cli().run("stats", "--json");
        assertThat(again.err())
                .contains("embedded MariaDB already running at jdbc:mariadb://127.0.0.1:" + port + "/")
                .doesNotContain("stays up");
        assertThat(serverPid()).isEqualTo(serverPid);
        JsonNode stats = JSON.readTree(again.out());
        assertThat(stats.path("queues").path("default").path("succeeded").asLong())
                .as("the 50 no-ops and the leak job")
                .isEqualTo(51);

        // db stop: the server is gone, its data stays
        Cli.Result stop = cli().run("db", "stop");
        assertThat(stop.exitCode()).as(stop.toString()).isZero();
        assertThat(stop.out()).contains("stopped the embedded MariaDB in " + home());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> ProcessHandle.of(serverPid).isEmpty());
        assertThat(home().resolve("server.properties")).doesNotExist();
        Cli.Result notRunning = cli().run("db", "status");
        assertThat(notRunning.out())
                .as(notRunning.toString())
                .contains("not running (it will listen on 127.0.0.1:" + port + ")");
        assertThat(cli().run("db", "stop").out()).contains("was not running");

        // two commands at the same moment on the stopped server: one starts it again, on its kept port; the other waits
        // for it and uses it
        List<CompletableFuture<Cli.Result>> cold = List.of(
                CompletableFuture.supplyAsync(() -> cli().run("stats", "--json")),
                CompletableFuture.supplyAsync(() -> cli().run("stats", "--json")));
        List<String> errs = new ArrayList<>();
        for (CompletableFuture<Cli.Result> run : cold) {
            Cli.Result result = run.get();
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(JSON.readTree(result.out())
                            .path("queues")
                            .path("default")
                            .path("succeeded")
                            .asLong())
                    .isEqualTo(51);
            errs.add(result.err());
        }
        assertThat(errs)
                .filteredOn(e -> e.contains("embedded MariaDB started at jdbc:mariadb://127.0.0.1:" + port + "/"))
                .hasSize(1);
        assertThat(errs)
                .filteredOn(
                        e -> e.contains("embedded MariaDB already running at jdbc:mariadb://127.0.0.1:" + port + "/"))
                .hasSize(1);
        assertThat(String.join("", errs)).doesNotContain("\u001b");
        long restarted = serverPid();
        assertThat(cli().run("db", "stop").exitCode()).isZero();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> ProcessHandle.of(restarted).isEmpty());
    }

    @Test
    void aServerLeftBehindByAKilledProcessIsReusedAStaleRecordIsRecoveredAndThePortIsChosen() throws Exception {
        Files.createDirectories(home());
        Cli.Running worker = cli().start("work", "--queue", "orphan");
        started.add(worker);
        await().atMost(Duration.ofSeconds(90)).until(() -> worker.err().contains("working on queues"));
        long serverPid = serverPid();
        worker.process().destroyForcibly().waitFor(); // SIGKILL: it cannot leave

        Cli.Result next = cli().run("enqueue", "--type", "noop", "--queue", "orphan");
        assertThat(next.exitCode()).as(next.toString()).isZero();
        assertThat(next.err()).contains("already running");
        assertThat(serverPid()).isEqualTo(serverPid);
        // the killed worker no longer counts as using it: a stop is not refused for it
        Cli.Result stop = cli().run("db", "stop");
        assertThat(stop.exitCode()).as(stop.toString()).isZero();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> ProcessHandle.of(serverPid).isEmpty());

        // a record left by a crash or a reboot: its pid is now another program's (alive, started when recorded), and
        // its
        // port answers, but not as MariaDB. It is recognised as stale, and a new server started, leaving that program
        // alone.
        try (ServerSocket impostor = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread greeter = new Thread(
                    () -> {
                        while (!impostor.isClosed()) {
                            try (Socket client = impostor.accept()) {
                                client.getOutputStream()
                                        .write("SSH-2.0-OpenSSH_9.6\r\n".getBytes(StandardCharsets.US_ASCII));
                            } catch (IOException closed) {
                                // the test is over
                            }
                        }
                    },
                    "impostor");
            greeter.setDaemon(true);
            greeter.start();
            ProcessHandle other = ProcessHandle.current();
            Files.writeString(
                    home().resolve("server.properties"),
                    "port=" + impostor.getLocalPort() + "\npid=" + other.pid() + "\nprocessStart="
                            + other.info().startInstant().orElseThrow() + "\n");
            Cli.Result recovered = cli().run("enqueue", "--type", "noop", "--queue", "orphan");
            assertThat(recovered.exitCode()).as(recovered.toString()).isZero();
            assertThat(recovered.err())
                    .contains("is gone (pid " + other.pid() + " is not its mariadbd")
                    .contains("embedded MariaDB started at jdbc:mariadb://127.0.0.1:");
            assertThat(serverPid()).isNotEqualTo(other.pid());
            assertThat(ProcessHandle.of(serverPid())
                            .flatMap(h -> h.info().command())
                            .orElseThrow())
                    .endsWith("/mariadbd");
        }
        int keptPort = serverPort();

        // --port: refused while it runs elsewhere; a port another program holds is refused with a clear line
        int chosen;
        try (ServerSocket free = new ServerSocket(0)) {
            chosen = free.getLocalPort();
            Cli.Result taken = cli().run("db", "start", "--port", Integer.toString(chosen));
            assertThat(taken.exitCode()).as(taken.toString()).isEqualTo(1);
            assertThat(taken.err()).contains("already runs on port " + keptPort);
            assertThat(cli().run("db", "stop").exitCode()).isZero();
            Cli.Result busy = cli().run("db", "start", "--port", Integer.toString(chosen));
            assertThat(busy.exitCode()).as(busy.toString()).isEqualTo(1);
            assertThat(busy.err())
                    .contains("steadfast: cannot start the embedded MariaDB")
                    .contains("port " + chosen + " is taken");
            assertThat(CliTestSupport.hasStackTrace(busy.err())).isFalse();
        }
        Cli.Result start = cli().run("db", "start", "--port", Integer.toString(chosen));
        assertThat(start.exitCode()).as(start.toString()).isZero();
        assertThat(start.out()).contains("embedded MariaDB started on 127.0.0.1:" + chosen);
        assertThat(Files.readString(home().resolve("last-port")).trim()).isEqualTo(Integer.toString(chosen));
        Cli.Result onChosen = cli().run("enqueue", "--type", "noop", "--queue", "orphan");
        assertThat(onChosen.err())
                .as(onChosen.toString())
                .contains("embedded MariaDB already running at jdbc:mariadb://127.0.0.1:" + chosen + "/");
        JsonNode status = JSON.readTree(cli().run("db", "start", "--json").out());
        assertThat(status.path("running").asBoolean()).isTrue();
        assertThat(status.path("port").asInt()).isEqualTo(chosen);
        assertThat(status.path("idle_stop_seconds").asLong())
                .as("an hour unless set")
                .isEqualTo(3600);
        long pid = status.path("pid").asLong();

        // the idle stop: unused for the time set, the server stops itself (its watchdog, started with it, ends too)
        Cli.Result idle = cli().run("db", "start", "--idle-stop", "2s");
        assertThat(idle.out())
                .as(idle.toString())
                .contains("already running")
                .contains("until unused for 2s or until 'steadfast db stop'");
        // the watchdog removes the record once the server has exited, under the lock: wait for both
        await().atMost(Duration.ofSeconds(60))
                .until(() -> ProcessHandle.of(pid).isEmpty() && !Files.exists(home().resolve("server.properties")));
        assertThat(Files.readString(home().resolve("run").resolve("idle-stop.log")))
                .contains("stopped the embedded MariaDB (pid " + pid + ")");
        assertThat(cli().run("db", "status").out()).contains("not running");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> ProcessHandle.allProcesses()
                        .noneMatch(p -> p.info()
                                .arguments()
                                .map(args ->
                                        String.join(" ", args).contains("dev.steadfast.embedded.IdleStop " + home()))
                                .orElse(false)));
        Files.delete(home().resolve("idle-stop")); // back to the default for the other test
    }

    /** Logs in with the template's password, as any local user could, as often as it can until stopped. */
    private static final class TemplatePasswordProbe {
        private final String url;
        private final AtomicInteger attempts = new AtomicInteger();
        private final AtomicInteger admitted = new AtomicInteger();
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
                try (Connection ignored = DriverManager.getConnection(url, "steadfast", MariaDbInstallation.PASSWORD)) {
                    admitted.incrementAndGet();
                } catch (SQLException e) {
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
