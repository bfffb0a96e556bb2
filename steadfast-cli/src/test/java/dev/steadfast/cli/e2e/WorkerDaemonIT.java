package dev.steadfast.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.testkit.FaultProxy;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import dev.steadfast.testkit.PrivateMariaDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code steadfast work} as supervisor runs it: SIGTERM, limits, a database that goes away and comes back. */
class WorkerDaemonIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final PrivateMariaDb DB = new PrivateMariaDb();

    @TempDir
    Path dir;

    private JsonNode queueStats(Cli cli, String url, String queue) throws Exception {
        return JSON.readTree(cli.run("stats", "--url", url, "--json").out()).path("queues").path(queue);
    }

    @Test
    void sigtermFinishesRunningJobsWithinTheGraceAndExitsZero() throws Exception {
        MariaDbServer server = DB.server();
        String url = server.url(JdbcDriver.MARIADB);
        Cli cli = CliTestSupport.against(dir, server);
        assertThat(cli.run("migrate", "--url", url).exitCode()).as("only migrate creates the schema").isZero();
        cli.run("enqueue", "--url", url, "--type", "sleep", "--queue", "term", "--payload", "{\"ms\": 1500}", "--count", "6");

        Cli.Running worker = cli.start("work", "--url", url, "--queue", "term", "--concurrency", "2", "--shutdown-grace", "20s");
        await().atMost(Duration.ofSeconds(60)).until(() -> server.queryLong(
                "SELECT COUNT(*) FROM sf_job WHERE queue = 'term' AND state = 'running'") > 0);
        worker.terminate();
        Cli.Result stopped = worker.await(Duration.ofSeconds(60));

        assertThat(stopped.exitCode()).as("a graceful stop is a success\n" + stopped).isZero();
        assertThat(stopped.err()).contains("stop requested (SIGTERM or SIGINT)").contains("stopped after");
        assertThat(CliTestSupport.hasStackTrace(stopped.err())).as(stopped.err()).isFalse();
        JsonNode stats = queueStats(cli, url, "term");
        assertThat(stats.path("running").asLong()).as("nothing left leased to a dead worker").isZero();
        assertThat(stats.path("succeeded").asLong() + stats.path("pending").asLong()).isEqualTo(6);
        assertThat(stats.path("succeeded").asLong()).as("the jobs that were running finished").isGreaterThanOrEqualTo(2);
        assertThat(stats.path("failed").asLong()).isZero();
    }

    @Test
    void maxJobsAndMaxTimeStopTheWorkerCleanly() throws Exception {
        MariaDbServer server = DB.server();
        String url = server.url(JdbcDriver.MYSQL);
        Cli cli = CliTestSupport.against(dir, server);
        assertThat(cli.run("migrate", "--url", url).exitCode()).as("only migrate creates the schema").isZero();
        cli.run("enqueue", "--url", url, "--type", "noop", "--queue", "limits", "--count", "30");

        Cli.Result limited = cli.run("work", "--url", url, "--queue", "limits", "--concurrency", "1", "--max-jobs", "10");
        assertThat(limited.exitCode()).as(limited.toString()).isZero();
        assertThat(limited.err()).contains("reached its limit of 10 job(s)");
        assertThat(queueStats(cli, url, "limits").path("succeeded").asLong()).isBetween(10L, 11L);

        Cli.Result timed = cli.run("work", "--url", url, "--queue", "idle", "--max-time", "2s");
        assertThat(timed.exitCode()).as(timed.toString()).isZero();
        assertThat(timed.err()).contains("maximum run time");
    }

    @Test
    void aWorkerRidesOutADatabaseRestartWithoutLosingAJob() throws Exception {
        MariaDbServer server = DB.server();
        String url = server.url(JdbcDriver.MARIADB);
        Cli cli = CliTestSupport.against(dir, server);
        assertThat(cli.run("migrate", "--url", url).exitCode()).as("only migrate creates the schema").isZero();
        cli.run("enqueue", "--url", url, "--type", "sleep", "--queue", "restart", "--payload", "{\"ms\": 100}", "--count", "60");

        Cli.Running worker = cli.start("work", "--url", url, "--queue", "restart", "--concurrency", "3", "--stop-when-empty");
        await().atMost(Duration.ofSeconds(60)).until(() -> server.queryLong(
                "SELECT COUNT(*) FROM sf_job WHERE queue = 'restart' AND state = 'succeeded'") >= 10);
        server.kill();
        Thread.sleep(1500);
        server.start();
        Cli.Result done = worker.await(Duration.ofSeconds(120));

        assertThat(done.exitCode()).as(done.toString()).isZero();
        JsonNode stats = queueStats(cli, url, "restart");
        assertThat(stats.path("succeeded").asLong()).as(done.toString()).isEqualTo(60);
        assertThat(stats.path("failed").asLong()).isZero();
        assertThat(CliTestSupport.hasStackTrace(done.err())).as(done.err()).isFalse();
        // every heal line names the work it healed: a job, a claim, an outcome, the heartbeat...
        assertThat(done.err().lines().filter(line -> line.contains(" healed after ")).toList()).as(done.err())
                .allSatisfy(line -> assertThat(line).containsPattern("UnitRunner - (job \\d+ \\(type sleep, queue restart\\)|claim"
                        + "|outcome \\(\\w+\\) of job \\d+|successes of \\d+ job|heartbeat and lease renewal|expired-lease reaper"
                        + "|purge of succeeded jobs|count of unfinished jobs|release of)")
                        .containsPattern(" healed after \\d+ attempts in \\d+(\\.\\d)? (ms|s|min)\\b")
                        .doesNotContain("Exception").doesNotContainPattern("\\d+ms\\b"));
        assertThat(done.err()).as("job lines name job, type, queue, attempt and duration")
                .containsPattern("jobs - job \\d+ succeeded \\(type sleep, queue restart, attempt \\d/3, \\d+ ms\\)");
    }

    /**
     * The worker's server is SIGKILLed at the moment its start checks the schema (Flyway's first look at its history
     * table): the worker waits, and comes up and works once the server is back. Then the same loss with a server
     * that never comes back: past --connect-timeout, one line and exit 1.
     */
    @Test
    void aWorkerWhoseServerDiesDuringItsStartComesUpOnceTheServerIsBack() throws Exception {
        MariaDbServer server = DB.server();
        String direct = server.url(JdbcDriver.MYSQL);
        Cli cli = CliTestSupport.against(dir, server);
        assertThat(cli.run("migrate", "--url", direct).exitCode()).isZero();
        cli.run("enqueue", "--url", direct, "--type", "noop", "--queue", "start-kill", "--count", "5");
        try (FaultProxy proxy = FaultProxy.inFrontOf(server)) {
            String url = server.urlVia(JdbcDriver.MYSQL, proxy.port());
            proxy.armCutAtQuery("sf_schema_history", server::kill);
            Cli.Running worker = cli.start("work", "--url", url, "--queue", "start-kill", "--connect-timeout", "120s",
                    "--stop-when-empty");
            await().atMost(Duration.ofSeconds(60)).until(() -> proxy.commitCutsFired() == 1 || !worker.process().isAlive());
            assertThat(worker.process().isAlive()).as("killed during its schema check, the worker waits\n" + worker.err()).isTrue();
            server.start();
            Cli.Result done = worker.await(Duration.ofSeconds(120));
            assertThat(done.exitCode()).as(done.toString()).isZero();
            assertThat(done.err()).contains("database lost while checking the schema");
            assertThat(CliTestSupport.hasStackTrace(done.err())).as(done.err()).isFalse();
            assertThat(server.queryLong("SELECT COUNT(*) FROM sf_job WHERE queue = 'start-kill' AND state = 'succeeded'"))
                    .as(done.toString()).isEqualTo(5);

            proxy.armCutAtQuery("sf_schema_history", server::kill);
            try {
                Cli.Result gaveUp = cli.run("work", "--url", url, "--queue", "start-kill", "--connect-timeout", "5s");
                assertThat(proxy.commitCutsFired()).isEqualTo(2);
                assertThat(gaveUp.exitCode()).as(gaveUp.toString()).isEqualTo(1);
                List<String> lines = gaveUp.err().lines().filter(line -> line.startsWith("steadfast: ")).toList();
                assertThat(lines).as(gaveUp.err()).hasSize(1);
                assertThat(lines.get(0)).contains("while checking the schema", "within 5 s", "Is the server running?",
                        "--connect-timeout");
                assertThat(CliTestSupport.hasStackTrace(gaveUp.err())).as(gaveUp.err()).isFalse();
            } finally {
                server.start();
            }
        }
    }
}
