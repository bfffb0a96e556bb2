package dev.steadfast.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.testkit.FaultProxy;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import dev.steadfast.testkit.PrivateMariaDb;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code steadfast work} as supervisor runs it: SIGTERM, limits, a database that goes away and comes back. */
class WorkerDaemonIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final PrivateMariaDb DB = new PrivateMariaDb();

    @TempDir
    Path dir;

    private JsonNode queueStats(Cli cli, String url, String queue) throws Exception {
        return JSON.readTree(cli.run("stats", "--url", url, "--json").out())
                .path("queues")
                .path(queue);
    }

    @Test
    void sigtermFinishesRunningJobsWithinTheGraceAndExitsZero() throws Exception {
        MariaDbServer server = DB.server();
        String url = server.url(JdbcDriver.MARIADB);
        Cli cli = CliTestSupport.against(dir, server);
        assertThat(cli.run("migrate", "--url", url).exitCode())
                .as("only migrate creates the schema")
                .isZero();
        cli.run(
                "enqueue",
                "--url",
                url,
                "--type",
                "sleep",
                "--queue",
                "term",
                "--payload",
                "{\"ms\": 1500}",
                "--count",
                "6");

        Cli.Running worker =
                cli.start("work", "--url", url, "--queue", "term", "--concurrency", "2", "--shutdown-grace", "20s");
        await().atMost(Duration.ofSeconds(60))
                .until(() ->
                        server.queryLong("SELECT COUNT(*) FROM sf_job WHERE queue = 'term' AND state = 'running'") > 0);
        worker.terminate();
        Cli.Result stopped = worker.await(Duration.ofSeconds(60));

        assertThat(stopped.exitCode())
                .as("a graceful stop is a success\n" + stopped)
                .isZero();
        assertThat(stopped.err()).contains("stop requested (SIGTERM or SIGINT)").contains("stopped after");
        assertThat(CliTestSupport.hasStackTrace(stopped.err()))
                .as(stopped.err())
                .isFalse();
        JsonNode stats = queueStats(cli, url, "term");
        assertThat(stats.path("running").asLong())
                .as("nothing left leased to a dead worker")
                .isZero();
        assertThat(stats.path("succeeded").asLong() + stats.path("pending").asLong())
                .isEqualTo(6);
        assertThat(stats.path("succeeded").asLong())
                .as("the jobs that were running finished")
                .isGreaterThanOrEqualTo(2);
        assertThat(stats.path("failed").asLong()).isZero();
    }

    /**
     * A job still running when the grace runs out is released, and the log says so once: not also as a lost lease, nor
     * as a failed attempt to retry (its interrupted handler's exception), and the stop line counts jobs, not attempts.
     */
    @Test
    void aJobReleasedPastTheGraceIsLoggedOnceAsReleased() throws Exception {
        MariaDbServer server = DB.server();
        String url = server.url(JdbcDriver.MARIADB);
        Cli cli = CliTestSupport.against(dir, server);
        assertThat(cli.run("migrate", "--url", url).exitCode()).isZero();
        cli.run("enqueue", "--url", url, "--type", "sleep", "--queue", "grace", "--payload", "{\"ms\": 120000}");

        Cli.Running worker = cli.start("work", "--url", url, "--queue", "grace", "--shutdown-grace", "1s");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> server.queryLong("SELECT COUNT(*) FROM sf_job WHERE queue = 'grace' AND state = 'running'")
                        == 1);
        worker.terminate();
        Cli.Result stopped = worker.await(Duration.ofSeconds(60));

        assertThat(stopped.exitCode()).as(stopped.toString()).isZero();
        long id = server.queryLong("SELECT id FROM sf_job WHERE queue = 'grace'");
        assertThat(stopped.err())
                .as(stopped.err())
                .containsOnlyOnce(
                        "job " + id + " (type sleep, queue grace) released back to its queue: still running after"
                                + " the 1 s shutdown grace")
                .doesNotContain(
                        "lease lost",
                        "another worker owns it",
                        "retrying in",
                        "InterruptedException",
                        "failed for good")
                .contains("stopped after 1 job (1 released back to the queue)");
        assertThat(server.queryLong(
                        "SELECT COUNT(*) FROM sf_job WHERE id = " + id + " AND state = 'pending' AND attempts = 0"))
                .as("pending again, the interrupted attempt not counted")
                .isEqualTo(1);
    }

    /**
     * Finished jobs go after their retention: succeeded ones past --retention, failed ones past --failed-retention
     * (with their failed-job log rows) and beyond --failed-keep, oldest first; the log says what went and why.
     */
    @Test
    void finishedJobsAreDeletedAfterTheirRetentionAndFailedOnesBeyondTheCap() throws Exception {
        MariaDbServer server = DB.server();
        String url = server.url(JdbcDriver.MARIADB);
        Cli cli = CliTestSupport.against(dir, server);
        assertThat(cli.run("migrate", "--url", url).exitCode()).isZero();
        Cli.Result bad = cli.run("work", "--url", url, "--failed-keep", "-1");
        assertThat(bad.exitCode()).as(bad.toString()).isEqualTo(2);
        assertThat(bad.err()).contains("--failed-keep must not be negative");
        cli.run("enqueue", "--url", url, "--type", "noop", "--queue", "kept", "--count", "2");
        cli.run("enqueue", "--url", url, "--type", "fail", "--queue", "kept", "--max-attempts", "1", "--count", "4");
        assertThat(cli.run("work", "--url", url, "--queue", "kept", "--stop-when-empty")
                        .exitCode())
                .isZero();
        long oldSucceeded = server.queryLong("SELECT MIN(id) FROM sf_job WHERE queue = 'kept' AND state = 'succeeded'");
        long newSucceeded = server.queryLong("SELECT MAX(id) FROM sf_job WHERE queue = 'kept' AND state = 'succeeded'");
        long oldFailed = server.queryLong("SELECT MAX(id) FROM sf_job WHERE queue = 'kept' AND state = 'failed'");
        long firstFailed = server.queryLong("SELECT MIN(id) FROM sf_job WHERE queue = 'kept' AND state = 'failed'");
        assertThat(server.queryLong("SELECT COUNT(*) FROM sf_failed_job WHERE job_id >= " + firstFailed))
                .isEqualTo(4);
        // as if they had finished long ago: the succeeded one 3 days, the newest failed one 40 days
        server.execute(
                "UPDATE sf_job SET run_at = NOW(3) - INTERVAL 3 DAY, finished_at = NOW(3) - INTERVAL 3 DAY WHERE id = "
                        + oldSucceeded,
                "UPDATE sf_job SET run_at = NOW(3) - INTERVAL 40 DAY, finished_at = NOW(3) - INTERVAL 40 DAY"
                        + " WHERE id = " + oldFailed);

        Cli.Running worker =
                cli.start("work", "--url", url, "--queue", "kept", "--retention", "2d", "--failed-keep", "2");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> server.queryLong("SELECT COUNT(*) FROM sf_job WHERE queue = 'kept'") == 3
                        || !worker.process().isAlive());
        worker.terminate();
        Cli.Result done = worker.await(Duration.ofSeconds(60));
        assertThat(done.exitCode()).as(done.toString()).isZero();
        assertThat(server.queryLong("SELECT COUNT(*) FROM sf_job WHERE id IN (" + oldSucceeded + ", " + oldFailed + ", "
                        + firstFailed + ")"))
                .as("past the retention, and the oldest failed job beyond the cap of 2\n" + done)
                .isZero();
        assertThat(server.queryLong("SELECT COUNT(*) FROM sf_job WHERE queue = 'kept' AND state = 'succeeded' AND id = "
                        + newSucceeded))
                .isEqualTo(1);
        assertThat(server.queryLong("SELECT COUNT(*) FROM sf_job WHERE queue = 'kept' AND state = 'failed'"))
                .isEqualTo(2);
        assertThat(server.queryLong("SELECT COUNT(*) FROM sf_failed_job WHERE job_id >= " + firstFailed))
                .as("the failed-job log rows go with their jobs")
                .isEqualTo(2);
        assertThat(done.err())
                .contains("keeps succeeded and cancelled jobs 2 d, failed jobs 30 d (at most 2)")
                .contains(
                        "retention: deleted 1 succeeded or cancelled job(s) finished over 2 d ago, 1 failed job(s) failed over"
                                + " 30 d ago and 1 beyond the cap of 2 failed jobs kept");
        Cli.Result gone = cli.run("jobs", "show", Long.toString(oldSucceeded), "--url", url);
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.err())
                .contains(
                        "no job " + oldSucceeded + " (finished jobs are deleted after their retention: by"
                                + " default succeeded and cancelled ones 24 h after they finished, failed ones after 30 days (work --retention");
    }

    @Test
    void maxJobsAndMaxTimeStopTheWorkerCleanly() throws Exception {
        MariaDbServer server = DB.server();
        String url = server.url(JdbcDriver.MYSQL);
        Cli cli = CliTestSupport.against(dir, server);
        assertThat(cli.run("migrate", "--url", url).exitCode())
                .as("only migrate creates the schema")
                .isZero();
        cli.run("enqueue", "--url", url, "--type", "noop", "--queue", "limits", "--count", "30");

        Cli.Result limited =
                cli.run("work", "--url", url, "--queue", "limits", "--concurrency", "1", "--max-jobs", "10");
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
        assertThat(cli.run("migrate", "--url", url).exitCode())
                .as("only migrate creates the schema")
                .isZero();
        cli.run(
                "enqueue",
                "--url",
                url,
                "--type",
                "sleep",
                "--queue",
                "restart",
                "--payload",
                "{\"ms\": 100}",
                "--count",
                "60");

        Cli.Running worker =
                cli.start("work", "--url", url, "--queue", "restart", "--concurrency", "3", "--stop-when-empty");
        await().atMost(Duration.ofSeconds(60))
                .until(() ->
                        server.queryLong("SELECT COUNT(*) FROM sf_job WHERE queue = 'restart' AND state = 'succeeded'")
                                >= 10);
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
        assertThat(done.err()
                        .lines()
                        .filter(line -> line.contains(" healed after "))
                        .toList())
                .as(done.err())
                .allSatisfy(line -> assertThat(line)
                        .containsPattern("UnitRunner - (job \\d+ \\(type sleep, queue restart\\)|claim"
                                + "|outcome \\(\\w+\\) of job \\d+|successes of \\d+ job|heartbeat and lease renewal|expired-lease reaper"
                                + "|purge of finished jobs|count of unfinished jobs|release of"
                                + "|record of the worker's jobs)")
                        .containsPattern(" healed after \\d+ attempts in \\d+(\\.\\d)? (ms|s|min)\\b")
                        .doesNotContain("Exception")
                        .doesNotContainPattern("\\d+ms\\b"));
        assertThat(done.err())
                .as("job lines name job, type, queue, attempt and duration")
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
            Cli.Running worker = cli.start(
                    "work", "--url", url, "--queue", "start-kill", "--connect-timeout", "120s", "--stop-when-empty");
            await().atMost(Duration.ofSeconds(60))
                    .until(() ->
                            proxy.commitCutsFired() == 1 || !worker.process().isAlive());
            assertThat(worker.process().isAlive())
                    .as("killed during its schema check, the worker waits\n" + worker.err())
                    .isTrue();
            server.start();
            Cli.Result done = worker.await(Duration.ofSeconds(120));
            assertThat(done.exitCode()).as(done.toString()).isZero();
            assertThat(done.err()).contains("database lost while checking the schema");
            assertThat(CliTestSupport.hasStackTrace(done.err())).as(done.err()).isFalse();
            assertThat(server.queryLong(
                            "SELECT COUNT(*) FROM sf_job WHERE queue = 'start-kill' AND state = 'succeeded'"))
                    .as(done.toString())
                    .isEqualTo(5);

            proxy.armCutAtQuery("sf_schema_history", server::kill);
            try {
                Cli.Result gaveUp = cli.run("work", "--url", url, "--queue", "start-kill", "--connect-timeout", "5s");
                assertThat(proxy.commitCutsFired()).isEqualTo(2);
                assertThat(gaveUp.exitCode()).as(gaveUp.toString()).isEqualTo(1);
                List<String> lines = gaveUp.err()
                        .lines()
                        .filter(line -> line.startsWith("steadfast: "))
                        .toList();
                assertThat(lines).as(gaveUp.err()).hasSize(1);
                assertThat(lines.get(0))
                        .contains(
                                "while checking the schema",
                                "within 5 s",
                                "Is the server running?",
                                "--connect-timeout");
                assertThat(CliTestSupport.hasStackTrace(gaveUp.err()))
                        .as(gaveUp.err())
                        .isFalse();
            } finally {
                server.start();
            }
        }
    }
}
