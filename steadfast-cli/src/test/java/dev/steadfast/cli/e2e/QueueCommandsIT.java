package dev.steadfast.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.BatchRequest;
import dev.steadfast.queue.FailurePolicy;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.JobRequest;
import dev.steadfast.queue.WorkflowRequest;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.PrivateMariaDb;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** enqueue, work, stats and the failed-job commands, round trip through the real jar, with both drivers. */
class QueueCommandsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final PrivateMariaDb DB = new PrivateMariaDb();

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(JdbcDriver.class)
    void enqueueWorkStatsAndTheFailedJobLog(JdbcDriver driver) throws Exception {
        Cli cli = CliTestSupport.against(dir, DB.server());
        String url = DB.server().url(driver);
        String queue = "rt-" + driver.name().toLowerCase();

        Cli.Result migrate = cli.run("migrate", "--url", url);
        assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
        assertThat(migrate.out()).containsPattern("schema (is up to date|at version) ");

        Cli.Result bulk = cli.run("enqueue", "--url", url, "--type", "noop", "--queue", queue, "--count", "2500");
        assertThat(bulk.exitCode()).as(bulk.toString()).isZero();
        assertThat(bulk.out()).contains("enqueued 2500 jobs").containsPattern("in [\\d.]+ s \\([\\d,]+ jobs/s\\)");

        Path payload = dir.resolve("payload.json");
        Files.writeString(payload, "{\"message\": \"card declined\", \"order\": 42}");
        Cli.Result failing = cli.run(
                "enqueue",
                "--url",
                url,
                "--type",
                "fail",
                "--queue",
                queue,
                "--payload",
                "@" + payload,
                "--max-attempts",
                "1");
        assertThat(failing.exitCode()).as(failing.toString()).isZero();
        long failingJob = Long.parseLong(failing.out().replaceAll("(?s)enqueued job (\\d+).*", "$1"));

        Cli.Result unique1 = cli.run(
                "enqueue",
                "--url",
                url,
                "--type",
                "noop",
                "--queue",
                queue + "-later",
                "--unique-key",
                "nightly",
                "--delay",
                "1h",
                "--priority",
                "5");
        Cli.Result unique2 = cli.run(
                "enqueue",
                "--url",
                url,
                "--type",
                "noop",
                "--queue",
                queue + "-later",
                "--unique-key",
                "nightly",
                "--delay",
                "1h");
        long uniqueJob = Long.parseLong(unique1.out().replaceAll("(?s)enqueued job (\\d+).*", "$1"));
        assertThat(unique2.exitCode()).isZero();
        assertThat(unique2.out())
                .as("the same live unique key names the first job")
                .contains("job " + uniqueJob + " already holds unique key 'nightly'")
                .contains("scheduled")
                .contains("nothing enqueued");
        assertThat(unique1.out())
                .as("a delayed job says when it runs")
                .containsPattern("runs at 20\\d\\d-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC");

        Cli.Result piped = cli.runWithInput(
                "{\"message\": \"from stdin\"}",
                "enqueue",
                "--url",
                url,
                "--type",
                "fail",
                "--queue",
                queue + "-stdin",
                "--payload",
                "@-");
        assertThat(piped.exitCode()).as(piped.toString()).isZero();
        assertThat(DB.server()
                        .queryLong("SELECT COUNT(*) FROM sf_job WHERE queue = '" + queue + "-stdin'"
                                + " AND JSON_VALUE(payload, '$.message') = 'from stdin'"))
                .isEqualTo(1);
        Cli.Result pipedTooMuch = cli.runWithInput(
                "{\"message\": \"far too long for the limit\"}",
                "enqueue",
                "--url",
                url,
                "--type",
                "fail",
                "--queue",
                queue + "-stdin",
                "--payload",
                "@-",
                "--max-payload",
                "10");
        assertThat(pipedTooMuch.exitCode()).as(pipedTooMuch.toString()).isEqualTo(2);
        assertThat(pipedTooMuch.err()).contains("more than --max-payload 10 bytes");

        Cli.Result work = cli.run("work", "--url", url, "--queue", queue, "--concurrency", "4", "--stop-when-empty");
        assertThat(work.exitCode()).as(work.toString()).isZero();
        assertThat(work.err()).contains("hold no job of types fail, noop, sleep: stopping");

        Cli.Result stats = cli.run("stats", "--url", url, "--json");
        assertThat(stats.exitCode()).as(stats.toString()).isZero();
        JsonNode counts = JSON.readTree(stats.out());
        assertThat(counts.fieldNames())
                .toIterable()
                .contains("pending", "scheduled", "running", "succeeded", "failed", "queues");
        assertThat(counts.path("queues").path(queue).path("succeeded").asLong()).isEqualTo(2500);
        assertThat(counts.path("estimated").isArray())
                .as("issue 27: always there, [] when every count is exact")
                .isTrue();
        assertThat(counts.path("queues").path(queue).path("estimated").isArray())
                .isTrue();
        assertThat(counts.path("queues").path(queue).path("failed").asLong()).isEqualTo(1);
        assertThat(counts.path("queues").path(queue).path("pending").asLong()).isZero();
        assertThat(counts.path("queues")
                        .path(queue + "-later")
                        .path("scheduled")
                        .asLong())
                .isEqualTo(1);

        // a short command logs little at INFO (issue 27: no start-up report): at debug every line is JSON too
        Cli.Result logged = cli.run("stats", "--url", url, "--json", "--log-json", "--log-level", "debug");
        assertThat(logged.err().lines().toList()).isNotEmpty().allSatisfy(line -> {
            JsonNode entry = JSON.readTree(line);
            assertThat(entry.fieldNames()).toIterable().contains("time", "level", "logger", "message");
        });
        assertThat(JSON.readTree(logged.out())
                        .path("queues")
                        .path(queue)
                        .path("succeeded")
                        .asLong())
                .isEqualTo(2500);

        Cli.Result table = cli.run("stats", "--url", url);
        assertThat(table.out()).contains("QUEUE").containsPattern(queue + "\\s+0\\s+0\\s+0\\s+2500\\s+1");

        JsonNode failed = findFailed(cli, url, failingJob);
        assertThat(failed.path("type").asText()).isEqualTo("fail");
        assertThat(failed.path("queue").asText()).isEqualTo(queue);
        assertThat(failed.path("attempts").asInt()).isEqualTo(1);
        assertThat(failed.path("error").asText()).contains("JobFailedAsAskedException: card declined");
        assertThat(failed.fieldNames())
                .toIterable()
                .containsExactly("id", "job_id", "type", "queue", "attempts", "error", "failed_at");
        long failedId = failed.path("id").asLong();
        assertThat(failedId)
                .as("one id space: a failed job is named by its job id")
                .isEqualTo(failingJob);

        Cli.Result show = cli.run("failed", "show", Long.toString(failedId), "--url", url);
        assertThat(show.exitCode()).as(show.toString()).isZero();
        assertThat(show.out())
                .contains("card declined")
                .contains("\"order\":42")
                .contains("stack trace:")
                .contains("BuiltInHandlers");

        Cli.Result retry = cli.run("failed", "retry", Long.toString(failedId), "--url", url);
        assertThat(retry.exitCode()).as(retry.toString()).isZero();
        JsonNode afterRetry = JSON.readTree(
                        cli.run("stats", "--url", url, "--json").out())
                .path("queues")
                .path(queue);
        assertThat(afterRetry.path("pending").asLong()).as("back in the queue").isEqualTo(1);
        assertThat(afterRetry.path("failed").asLong()).isZero();

        cli.run("work", "--url", url, "--queue", queue, "--stop-when-empty");
        long failedAgain = findFailed(cli, url, failingJob).path("id").asLong();
        Cli.Result forget = cli.run("failed", "forget", Long.toString(failedAgain), "--url", url);
        assertThat(forget.exitCode()).as(forget.toString()).isZero();
        Cli.Result gone = cli.run("failed", "show", Long.toString(failedAgain), "--url", url);
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.err()).contains("no job " + failedAgain);
        JsonNode afterForget = JSON.readTree(
                        cli.run("stats", "--url", url, "--json").out())
                .path("queues")
                .path(queue);
        assertThat(afterForget.path("failed").asLong())
                .as("a forgotten failed job is gone everywhere")
                .isZero();

        cli.run("enqueue", "--url", url, "--type", "fail", "--queue", queue, "--max-attempts", "1", "--count", "3");
        cli.run("work", "--url", url, "--queue", queue, "--stop-when-empty");
        Cli.Result unconfirmed = cli.run("failed", "retry", "--queue", queue, "--url", url);
        assertThat(unconfirmed.exitCode())
                .as("no terminal to ask on: --yes is needed")
                .isEqualTo(2);
        assertThat(unconfirmed.err()).contains("about to retry 3 failed job(s) in queue " + queue + ": add --yes");
        Cli.Result retryAll = cli.run("failed", "retry", "--queue", queue, "--yes", "--url", url);
        assertThat(retryAll.out()).contains("retried 3 failed job(s) in queue " + queue);
        cli.run("work", "--url", url, "--queue", queue, "--stop-when-empty");
        Cli.Result forgetAll = cli.run("failed", "forget", "--queue", queue, "--yes", "--url", url);
        assertThat(forgetAll.out()).contains("forgot 3 failed job(s) in queue " + queue);
        Cli.Result empty = cli.run("failed", "list", "--queue", queue, "--url", url);
        assertThat(empty.out()).contains("no failed jobs in queue " + queue);
    }

    @Test
    void jobsCommandsFiltersAndConfirmations() throws Exception {
        Cli cli = CliTestSupport.against(dir, DB.server());
        String url = DB.server().url(JdbcDriver.MARIADB);
        String queue = "jobs-cmd";
        assertThat(cli.run("migrate", "--url", url).exitCode()).isZero();
        cli.run(
                "enqueue",
                "--url",
                url,
                "--type",
                "fail",
                "--queue",
                queue,
                "--max-attempts",
                "1",
                "--count",
                "2",
                "--payload",
                "{\"message\": \"card declined\"}");
        cli.run(
                "enqueue",
                "--url",
                url,
                "--type",
                "fail",
                "--queue",
                queue,
                "--max-attempts",
                "1",
                "--payload",
                "{\"message\": \"timeout talking to bank\"}");
        cli.run("enqueue", "--url", url, "--type", "noop", "--queue", queue, "--count", "3");
        long later =
                Long.parseLong(cli.run("enqueue", "--url", url, "--type", "noop", "--queue", queue, "--delay", "2h")
                        .out()
                        .replaceAll("(?s)enqueued job (\\d+).*", "$1"));
        Cli.Result work = cli.run("work", "--url", url, "--queue", queue, "--stop-when-empty");
        assertThat(work.err())
                .as("one line per attempt outcome")
                .containsPattern("job \\d+ succeeded \\(type noop, queue jobs-cmd," + " attempt 1/3, \\d+ ms\\)")
                .containsPattern("WARN .*job \\d+ failed for good \\(type fail.*card declined");

        JsonNode failed =
                JSON.readTree(cli.run("jobs", "list", "--state", "failed", "--queue", queue, "--json", "--url", url)
                        .out());
        assertThat(failed).hasSize(3);
        Cli.Result table = cli.run("jobs", "list", "--queue", queue, "--url", url);
        assertThat(table.out())
                .contains("STATE")
                .contains("succeeded")
                .contains("failed")
                .contains("scheduled");

        Cli.Result show =
                cli.run("jobs", "show", Long.toString(failed.get(0).path("id").asLong()), "--url", url);
        assertThat(show.out())
                .contains("history:")
                .containsPattern("#1 failed after \\d+ ms on ")
                .contains("stack trace:");

        Cli.Result retryDeclined =
                cli.run("failed", "retry", "--queue", queue, "--error", "declined", "--yes", "--url", url);
        assertThat(retryDeclined.out())
                .contains("retried 2 failed job(s) in queue jobs-cmd with an error containing 'declined'");
        assertThat(cli.run("failed", "list", "--queue", queue, "--json", "--url", url)
                        .out())
                .contains("timeout talking to bank")
                .doesNotContain("card declined");

        Cli.Result deleteRunning = cli.run("jobs", "delete", "999999999", Long.toString(later), "--url", url);
        assertThat(deleteRunning.exitCode()).as("one of them does not exist").isEqualTo(1);
        assertThat(deleteRunning.out()).contains("deleted job " + later);
        assertThat(deleteRunning.err()).contains("steadfast: no job 999999999");

        Cli.Result purgeAsk = cli.run("jobs", "purge", "--state", "succeeded", "--queue", queue, "--url", url);
        assertThat(purgeAsk.exitCode()).isEqualTo(2);
        assertThat(purgeAsk.err()).contains("about to delete 3 succeeded job(s) in queue jobs-cmd: add --yes");
        Cli.Result purge = cli.run("jobs", "purge", "--state", "succeeded", "--queue", queue, "--yes", "--url", url);
        assertThat(purge.out()).contains("deleted 3 succeeded job(s) in queue jobs-cmd");
        Cli.Result badState = cli.run("jobs", "purge", "--state", "running", "--yes", "--url", url);
        assertThat(badState.exitCode()).isEqualTo(2);
        assertThat(badState.err()).contains("running jobs belong to their workers");
        assertThat(CliTestSupport.hasStackTrace(badState.err() + deleteRunning.err() + purgeAsk.err()))
                .isFalse();

        // a variable means one thing: a worker container's queue list is not where enqueue writes, and no filter, bulk
        // flag or output format comes from the environment; settings do (a flag given wins)
        Cli workerEnv = CliTestSupport.against(dir, DB.server())
                .env("STEADFAST_QUEUE", "from-env:3,from-env-low:1")
                .env("STEADFAST_MAX_ATTEMPTS", "7")
                .env("STEADFAST_TYPE", "noop")
                .env("STEADFAST_STATE", "succeeded")
                .env("STEADFAST_ALL", "1")
                .env("STEADFAST_JSON", "1")
                .env("STEADFAST_URL", url);
        Cli.Result fromEnv = workerEnv.run("enqueue", "--type", "noop", "--delay", "1h");
        assertThat(fromEnv.out()).as(fromEnv.toString()).contains("queue default");
        long envJob = Long.parseLong(fromEnv.out().replaceAll("(?s)enqueued job (\\d+).*", "$1"));
        assertThat(DB.server().queryLong("SELECT max_attempts FROM sf_job WHERE id = " + envJob))
                .isEqualTo(7);
        Cli.Result unfiltered = workerEnv.run("failed", "list", "--queue", queue);
        assertThat(unfiltered.out())
                .as(unfiltered.toString())
                .contains("timeout talking to bank")
                .doesNotStartWith("[");
        Cli.Result noBulk = workerEnv.run("cancel");
        assertThat(noBulk.exitCode())
                .as("STEADFAST_ALL cancels nothing: " + noBulk)
                .isEqualTo(2);
        assertThat(noBulk.err()).as(noBulk.toString()).doesNotContain("about to cancel");
        assertThat(DB.server()
                        .queryLong("SELECT COUNT(*) FROM sf_job WHERE id = " + envJob + " AND state <> 'cancelled'"))
                .isOne();
        workerEnv.run("enqueue", "--type", "noop", "--queue", "from-env");
        Cli.Result envWorker = workerEnv.run("work", "--stop-when-empty");
        assertThat(envWorker.err())
                .as("the worker reads its queue list: " + envWorker)
                .contains("queue from-env, attempt")
                .contains("working on queues from-env:3, from-env-low:1 (weighted)")
                .doesNotContain("{from-env");
        cli.run("enqueue", "--url", url, "--type", "noop", "--queue", "json-log");
        Cli.Result jsonWork = cli.run("work", "--url", url, "--queue", "json-log", "--stop-when-empty", "--log-json");
        JsonNode attemptLine = null;
        for (String line : jsonWork.err().lines().toList()) {
            JsonNode entry = JSON.readTree(line);
            if (entry.has("job_id")) {
                attemptLine = entry;
            }
        }
        assertThat(attemptLine).as("a JSON line per attempt: " + jsonWork.err()).isNotNull();
        assertThat(attemptLine.path("type").asText()).isEqualTo("noop");
        assertThat(attemptLine.path("queue").asText()).isEqualTo("json-log");
        assertThat(attemptLine.path("attempt").asInt()).isEqualTo(1);
        assertThat(attemptLine.path("outcome").asText()).isEqualTo("succeeded");
        assertThat(attemptLine.path("duration_ms").isIntegralNumber()).isTrue();
        assertThat(attemptLine.path("operation").asText())
                .startsWith("job " + attemptLine.path("job_id").asLong() + " (type noop");
        Cli.Result completion = cli.run("generate-completion");
        assertThat(completion.exitCode()).isZero();
        assertThat(completion.out()).contains("complete -F").contains("jobs").contains("purge");
    }

    @Test
    void onlyMigrateChangesTheSchemaAndAReadOnlyUserCanLook() throws Exception {
        String schema = "fresh_" + Long.toHexString(System.nanoTime());
        DB.server()
                .execute(
                        "CREATE DATABASE " + schema,
                        "CREATE USER IF NOT EXISTS 'reader'@'%' IDENTIFIED BY 'reader-pw-0123456789'",
                        "GRANT SELECT ON " + schema + ".* TO 'reader'@'%'");
        String url = DB.server().url(JdbcDriver.MARIADB).replaceFirst("/steadfast(\\?|$)", "/" + schema + "$1");
        Cli admin = CliTestSupport.against(dir, DB.server());

        Cli.Result stats = admin.run("stats", "--url", url);
        assertThat(stats.exitCode()).isEqualTo(1);
        assertThat(stats.err()).contains("no Steadfast schema").contains("run 'steadfast migrate'");
        Cli.Result enqueue = admin.run("enqueue", "--url", url, "--type", "noop");
        assertThat(enqueue.exitCode()).isEqualTo(1);
        assertThat(enqueue.err()).contains("steadfast migrate");
        assertThat(DB.server()
                        .queryLong(
                                "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '" + schema + "'"))
                .as("no command but migrate creates tables")
                .isZero();

        assertThat(admin.run("migrate", "--url", url).exitCode()).isZero();
        assertThat(admin.run("enqueue", "--url", url, "--type", "noop", "--queue", "ro")
                        .exitCode())
                .isZero();

        Cli reader = new Cli(dir).env("STEADFAST_USER", "reader").env("STEADFAST_PASSWORD", "reader-pw-0123456789");
        Cli.Result readerStats = reader.run("stats", "--json", "--url", url);
        assertThat(readerStats.exitCode()).as(readerStats.toString()).isZero();
        assertThat(JSON.readTree(readerStats.out())
                        .path("queues")
                        .path("ro")
                        .path("pending")
                        .asLong())
                .isEqualTo(1);
        for (String[] command : new String[][] {{"failed", "list"}, {"jobs", "list", "--json"}, {"doctor", "--json"}}) {
            List<String> args = new ArrayList<>(List.of(command));
            args.addAll(List.of("--url", url));
            Cli.Result result = reader.run(args.toArray(String[]::new));
            assertThat(result.err())
                    .as(result.toString())
                    .doesNotContainIgnoringCase("denied")
                    .doesNotContain("Exception");
            assertThat(result.exitCode()).as(result.toString()).isIn(0, 1);
            if (!command[0].equals("doctor")) {
                assertThat(result.exitCode()).as(result.toString()).isZero();
            }
        }
        Cli.Running dashboard = reader.start("serve", "--read-only", "--port", "0", "--url", url);
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> dashboard.out().contains("dashboard: http://"));
            String address = dashboard.out().replaceAll("(?s).*dashboard: (http://\\S+/).*", "$1");
            HttpClient http =
                    HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
            HttpResponse<String> jobs = http.send(
                    HttpRequest.newBuilder(URI.create(address + "jobs?state=pending&queue=ro"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(jobs.statusCode()).as(dashboard.err()).isEqualTo(200);
            assertThat(jobs.body()).contains("1 shown of 1");
            String failedPage = http.send(
                            HttpRequest.newBuilder(URI.create(address + "failed"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(failedPage)
                    .as("a read-only dashboard shows no actions")
                    .doesNotContain("Retry all")
                    .doesNotContain("method=\"post\"");
            HttpResponse<String> refused = http.send(
                    HttpRequest.newBuilder(URI.create(address + "failed/retry?all=1"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString("confirmed=1"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("read-only");
        } finally {
            dashboard.terminate();
            dashboard.await(Duration.ofSeconds(30));
        }
        Cli.Result slimStats = reader.slim().run("stats", "--json", "--url", url);
        assertThat(slimStats.exitCode())
                .as("the slim jar works with your own server: " + slimStats)
                .isZero();
        assertThat(Files.size(Path.of(System.getProperty("steadfast.slim.jar"))))
                .as("the slim jar leaves MariaDB's binaries out")
                .isLessThan(60L << 20);
        Cli.Result slimEmbedded = new Cli(dir).slim().run("stats");
        assertThat(slimEmbedded.exitCode()).isEqualTo(1);
        assertThat(slimEmbedded.err())
                .contains("this jar carries no MariaDB server")
                .contains("--url");
        reader = new Cli(dir).env("STEADFAST_USER", "reader").env("STEADFAST_PASSWORD", "reader-pw-0123456789");
        Cli.Result readerEnqueue = reader.run("enqueue", "--url", url, "--type", "noop", "--queue", "ro");
        assertThat(readerEnqueue.exitCode()).isEqualTo(1);
        // the one line we promise, none of the driver's own (WARN ErrorPacket - Error: 1142 ...)
        assertThat(readerEnqueue
                        .err()
                        .lines()
                        .filter(l -> !l.contains(" INFO "))
                        .toList())
                .as(readerEnqueue.err())
                .hasSize(1)
                .allMatch(l -> l.startsWith("steadfast: "));
        assertThat(readerEnqueue.err()).contains("denied");
        Cli.Result wrongPassword = new Cli(dir)
                .env("STEADFAST_USER", "reader")
                .env("STEADFAST_PASSWORD", "not-the-password")
                .run("stats", "--url", url, "--connect-timeout", "2s");
        assertThat(wrongPassword.exitCode()).as(wrongPassword.toString()).isEqualTo(1);
        assertThat(wrongPassword
                        .err()
                        .lines()
                        .filter(l -> !l.contains(" INFO "))
                        .toList())
                .as(wrongPassword.err())
                .hasSize(1)
                .allMatch(l -> l.startsWith("steadfast: "));
        Cli.Result driverAtDebug =
                reader.run("enqueue", "--url", url, "--type", "noop", "--queue", "ro", "--log-level", "debug");
        assertThat(driverAtDebug.err()).as("the driver's lines at debug").contains("ErrorPacket");
    }

    @Test
    void pauseResumeListAndCancelThroughTheJar() throws Exception {
        Cli cli = CliTestSupport.against(dir, DB.server());
        String url = DB.server().url(JdbcDriver.MARIADB);
        assertThat(cli.run("migrate", "--url", url).exitCode()).isZero();
        String queue = "control";
        long waiting = enqueued(cli.run("enqueue", "--url", url, "--type", "noop", "--queue", queue));
        long later = enqueued(cli.run("enqueue", "--url", url, "--type", "noop", "--queue", queue, "--delay", "1h"));

        // issue 27: a queue is configured before its first job (a limit in place before the first burst), with a note
        Cli.Result early = cli.run("queue", "pause", "api-early", "--url", url);
        assertThat(early.exitCode()).as(early.toString()).isZero();
        assertThat(early.out()).contains("paused queue api-early");
        assertThat(early.err())
                .contains("steadfast: note: queue api-early has no jobs yet; the setting applies when they come");
        Cli.Result limitEarly = cli.run("queue", "limit", "burst-early", "--rate", "1/1s", "--url", url);
        assertThat(limitEarly.exitCode()).as(limitEarly.toString()).isZero();
        assertThat(limitEarly.err())
                .contains("steadfast: note: queue burst-early has no jobs yet; the setting applies when they come");
        Cli.Result unknown = cli.run("queue", "resume", "contrl", "--url", url);
        assertThat(unknown.exitCode()).as(unknown.toString()).isZero();
        assertThat(unknown.out()).contains("queue contrl was not paused");
        assertThat(unknown.err())
                .contains("steadfast: note: queue contrl has no jobs yet (known queues: ")
                .contains(queue)
                .doesNotContain("Exception");
        assertThat(cli.run("queue", "pause", "api-early", "--url", url).err())
                .as("known now: no note")
                .doesNotContain("note");
        JsonNode configured =
                JSON.readTree(cli.run("queue", "list", "--url", url, "--json").out());
        assertThat(configured)
                .anySatisfy(q -> {
                    assertThat(q.path("name").asText()).isEqualTo("api-early");
                    assertThat(q.path("paused").asBoolean()).isTrue();
                    assertThat(q.path("pending").asLong()).isZero();
                })
                .anySatisfy(q -> {
                    assertThat(q.path("name").asText()).isEqualTo("burst-early");
                    assertThat(q.path("rate_limit").path("jobs").asInt()).isEqualTo(1);
                });
        assertThat(cli.run("queue", "list", "--url", url).out())
                .contains("api-early")
                .contains("burst-early");

        Cli.Result pause = cli.run("queue", "pause", queue, "--url", url);
        assertThat(pause.exitCode()).as(pause.toString()).isZero();
        assertThat(pause.err())
                .as("a one-shot command does not report the database it connected to")
                .doesNotContain("database ready");
        assertThat(cli.run("stats", "--url", url, "--log-level", "debug").err())
                .as("unless asked")
                .contains("steadfast database ready: ");
        assertThat(pause.out()).contains("paused queue " + queue);
        // a worker started now takes nothing from the paused queue
        Cli.Result work = cli.run("work", "--url", url, "--queue", queue, "--max-time", "3s");
        assertThat(work.exitCode()).as(work.toString()).isZero();
        assertThat(DB.server().queryLong("SELECT attempts FROM sf_job WHERE id = " + waiting))
                .isZero();
        Cli.Result stopped = cli.run("work", "--url", url, "--queue", queue, "--stop-when-empty");
        assertThat(stopped.exitCode()).as(stopped.toString()).isZero();
        assertThat(stopped.err())
                .as("a paused queue's jobs are not runnable, but they are there")
                .contains("stopped: no runnable job left (queue control is paused with 2 jobs;"
                        + " 'steadfast queue resume control' lets workers run them)")
                .doesNotContain("hold no job")
                .as("one queue has no order")
                .contains("working on queues control with")
                .doesNotContain("in that order")
                .as("a worker reports the database it connected to")
                .contains("steadfast database ready: ");

        JsonNode list =
                JSON.readTree(cli.run("queue", "list", "--url", url, "--json").out());
        assertThat(list).anySatisfy(q -> {
            assertThat(q.path("name").asText()).isEqualTo(queue);
            assertThat(q.path("paused").asBoolean()).isTrue();
            assertThat(q.path("paused_at").isNull()).isFalse();
            assertThat(q.path("pending").asLong()).isEqualTo(1);
        });
        JsonNode stats = JSON.readTree(cli.run("stats", "--url", url, "--json").out());
        assertThat(stats.path("queues").path(queue).path("paused").asBoolean()).isTrue();

        Cli.Result cancel = cli.run("cancel", Long.toString(later), "--url", url);
        assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
        assertThat(cancel.out()).contains("cancelled job " + later);
        Cli.Result again = cli.run("cancel", Long.toString(later), "987654321", "--url", url);
        assertThat(again.exitCode()).as("a finished and an unknown job").isEqualTo(1);
        assertThat(again.err())
                .contains("job " + later + " is cancelled already")
                .contains("no job 987654321")
                .doesNotContain("Exception")
                .as("every failure line is ours")
                .doesNotContainPattern("(?m)^(?!steadfast: |\\d{4}-\\d\\d-\\d\\dT)\\S");
        stats = JSON.readTree(cli.run("stats", "--url", url, "--json").out());
        assertThat(stats.path("cancelled").asLong()).isEqualTo(1);
        assertThat(stats.path("queues").path(queue).path("cancelled").asLong()).isEqualTo(1);

        Cli.Result resume = cli.run("queue", "resume", queue, "--url", url);
        assertThat(resume.exitCode()).as(resume.toString()).isZero();
        Cli.Result drained = cli.run("work", "--url", url, "--queue", queue, "--stop-when-empty");
        assertThat(drained.exitCode()).as(drained.toString()).isZero();
        assertThat(DB.server()
                        .queryLong("SELECT COUNT(*) FROM sf_job WHERE id = " + waiting + " AND state = 'succeeded'"))
                .isEqualTo(1);
        stats = JSON.readTree(cli.run("stats", "--url", url, "--json").out());
        assertThat(stats.path("queues").path(queue).path("paused").asBoolean()).isFalse();
    }

    @Test
    void schedulesAreAddedTickedListedAndRemovedThroughTheJar() throws Exception {
        Cli cli = CliTestSupport.against(dir, DB.server());
        String url = DB.server().url(JdbcDriver.MYSQL);
        Cli.Result migrate = cli.run("migrate", "--url", url);
        assertThat(migrate.exitCode()).as(migrate.toString()).isZero();

        Cli.Result badCron =
                cli.run("schedule", "add", "nightly", "--cron", "0 25 * * *", "--type", "noop", "--url", url);
        assertThat(badCron.exitCode()).as(badCron.toString()).isEqualTo(2);
        assertThat(badCron.err()).contains("bad cron expression '0 25 * * *'").doesNotContain("Exception");
        Cli.Result badZone = cli.run(
                "schedule",
                "add",
                "nightly",
                "--cron",
                "0 3 * * *",
                "--zone",
                "Mars/Olympus",
                "--type",
                "noop",
                "--url",
                url);
        assertThat(badZone.exitCode()).isEqualTo(2);
        assertThat(badZone.err()).contains("unknown time zone 'Mars/Olympus'");
        assertThat(cli.run("schedule", "add", "nightly", "--type", "noop", "--url", url)
                        .exitCode())
                .as("no cadence")
                .isEqualTo(2);

        Cli.Result nightly = cli.run(
                "schedule",
                "add",
                "nightly",
                "--cron",
                "0 3 * * *",
                "--zone",
                "Europe/Berlin",
                "--type",
                "noop",
                "--queue",
                "reports",
                "--url",
                url);
        assertThat(nightly.exitCode()).as(nightly.toString()).isZero();
        assertThat(nightly.out()).contains("added schedule nightly: 0 3 * * * (Europe/Berlin), next run ");
        long addedAt = System.nanoTime();
        Cli.Result ticking = cli.run(
                "schedule",
                "add",
                "ticking",
                "--every",
                "1s",
                "--type",
                "noop",
                "--queue",
                "ticks",
                "--payload",
                "{\"from\": \"schedule\"}",
                "--missed",
                "once",
                "--url",
                url);
        assertThat(ticking.exitCode()).as(ticking.toString()).isZero();

        Cli.Result work = cli.run("work", "--url", url, "--queue", "ticks", "--max-time", "4s");
        assertThat(work.exitCode()).as(work.toString()).isZero();
        long ran = DB.server()
                .queryLong("SELECT COUNT(*) FROM sf_job WHERE queue = 'ticks' AND state = 'succeeded'"
                        + " AND JSON_VALUE(payload, '$.from') = 'schedule'");
        // at most one job per whole second since the schedule was added (plus its first), however slow the JVMs start
        long secondsSinceAdded = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - addedAt);
        assertThat(ran).as("a job a second while the worker ran").isBetween(2L, secondsSinceAdded + 1);

        JsonNode list = JSON.readTree(
                cli.run("schedule", "list", "--json", "--url", url).out());
        assertThat(list).extracting(n -> n.path("name").asText()).containsExactly("nightly", "ticking");
        assertThat(list.get(0).path("zone").asText()).isEqualTo("Europe/Berlin");
        assertThat(list.get(1).path("expression").asText()).isEqualTo("every 1s");
        assertThat(list.get(1).path("missed").asText()).isEqualTo("once");
        assertThat(list.get(1).path("last_job_id").asLong())
                .isEqualTo(DB.server().queryLong("SELECT MAX(id) FROM sf_job WHERE queue = 'ticks'"));

        assertThat(cli.run("schedule", "pause", "nightly", "--url", url).exitCode())
                .isZero();
        String nightlyRow = cli.run("schedule", "list", "--url", url)
                .out()
                .lines()
                .filter(l -> l.startsWith("nightly "))
                .findFirst()
                .orElseThrow();
        assertThat(nightlyRow)
                .as("a paused schedule has no next run")
                .contains(" paused ")
                .doesNotContainPattern("\\d{4}-\\d\\d-\\d\\dT");
        Cli.Result update = cli.run(
                "schedule",
                "add",
                "nightly",
                "--cron",
                "0 3 * * *",
                "--zone",
                "Europe/Berlin",
                "--type",
                "noop",
                "--queue",
                "reports",
                "--max-attempts",
                "5",
                "--url",
                url);
        assertThat(update.out())
                .contains("updated schedule nightly")
                .contains("paused: no run until 'steadfast schedule resume" + " nightly'")
                .doesNotContain("next run");
        Cli.Result macro = cli.run("schedule", "add", "hourly", "--cron", "@hourly", "--type", "noop", "--url", url);
        assertThat(macro.out()).as(macro.toString()).contains("added schedule hourly: @hourly (UTC), next run ");
        assertThat(JSON.readTree(cli.run("schedule", "list", "--json", "--url", url)
                                .out())
                        .findValuesAsText("expression"))
                .contains("@hourly");
        assertThat(cli.run("schedule", "remove", "hourly", "--url", url).exitCode())
                .isZero();
        Cli.Result badMacro = cli.run("schedule", "add", "hourly", "--cron", "@often", "--type", "noop", "--url", url);
        assertThat(badMacro.exitCode()).as(badMacro.toString()).isEqualTo(2);
        assertThat(badMacro.err()).contains("unknown cron macro '@often'");
        assertThat(cli.run("schedule", "remove", "ticking", "--url", url).exitCode())
                .isZero();
        Cli.Result gone = cli.run("schedule", "remove", "ticking", "--url", url);
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.err()).contains("no schedule named 'ticking'");
    }

    @Test
    void timeoutsAndConcurrencyLimitsThroughTheJar() throws Exception {
        Cli cli = CliTestSupport.against(dir, DB.server());
        String url = DB.server().url(JdbcDriver.MARIADB);
        Cli.Result migrate = cli.run("migrate", "--url", url);
        assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
        long slow = enqueued(cli.run(
                "enqueue",
                "--url",
                url,
                "--type",
                "sleep",
                "--queue",
                "limits",
                "--payload",
                "{\"ms\": 30000}",
                "--timeout",
                "500ms",
                "--max-attempts",
                "1"));
        for (int i = 0; i < 6; i++) {
            enqueued(cli.run(
                    "enqueue",
                    "--url",
                    url,
                    "--type",
                    "sleep",
                    "--queue",
                    "limits",
                    "--payload",
                    "{\"ms\": 300}",
                    "--concurrency-key",
                    "account-7",
                    "--concurrency-limit",
                    "1"));
        }
        Cli.Result work = cli.run("work", "--url", url, "--queue", "limits", "--concurrency", "4", "--stop-when-empty");
        assertThat(work.exitCode()).as(work.toString()).isZero();
        assertThat(DB.server()
                        .queryLong("SELECT COUNT(*) FROM sf_job WHERE id = " + slow + " AND state = 'failed'"
                                + " AND last_error LIKE '%timed out after 500 ms%'"))
                .as("interrupted at its timeout")
                .isEqualTo(1);
        assertThat(DB.server()
                        .queryLong(
                                "SELECT COUNT(*) FROM sf_job WHERE queue = 'limits' AND concurrency_key = 'account-7'"
                                        + " AND state = 'succeeded'"))
                .isEqualTo(6);
        // one at a time: no two of the keyed attempts overlap
        assertThat(DB.server()
                        .queryLong("SELECT COUNT(*) FROM sf_job a JOIN sf_job b ON a.id < b.id"
                                + " WHERE a.concurrency_key = 'account-7' AND b.concurrency_key = 'account-7'"
                                + " AND a.attempt_started_at < b.finished_at AND b.attempt_started_at < a.finished_at"))
                .isZero();
        assertThat(DB.server().queryLong("SELECT running FROM sf_concurrency WHERE concurrency_key = 'account-7'"))
                .isZero();
    }

    @Test
    void rateLimitsThroughTheJar() throws Exception {
        Cli cli = CliTestSupport.against(dir, DB.server());
        String url = DB.server().url(JdbcDriver.MYSQL);
        Cli.Result migrate = cli.run("migrate", "--url", url);
        assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
        Cli.Result nine = cli.run("enqueue", "--url", url, "--type", "noop", "--queue", "rated", "--count", "9");
        assertThat(nine.exitCode()).as(nine.toString()).isZero();
        Cli.Result limit = cli.run("queue", "limit", "rated", "--rate", "3/s", "--url", url);
        assertThat(limit.exitCode()).as(limit.toString()).isZero();
        assertThat(limit.out()).contains("queue rated: at most 3 job(s) start per 1s across all workers");
        assertThat(cli.run("queue", "limit", "rated", "--rate", "3/1s", "--url", url)
                        .out())
                .contains("had this rate limit already");
        JsonNode list =
                JSON.readTree(cli.run("queue", "list", "--url", url, "--json").out());
        assertThat(list).anySatisfy(q -> {
            assertThat(q.path("name").asText()).isEqualTo("rated");
            assertThat(q.path("rate_limit").path("jobs").asInt()).isEqualTo(3);
            assertThat(q.path("rate_limit").path("per").asText()).isEqualTo("1s");
            assertThat(q.path("rate_limit").path("per_ms").asLong()).isEqualTo(1000);
        });
        assertThat(cli.run("queue", "list", "--url", url).out()).contains("3/1s");

        Cli.Result work = cli.run("work", "--url", url, "--queue", "rated", "--concurrency", "4", "--stop-when-empty");
        assertThat(work.exitCode()).as(work.toString()).isZero();
        assertThat(DB.server().queryLong("SELECT COUNT(*) FROM sf_job WHERE queue = 'rated' AND state = 'succeeded'"))
                .isEqualTo(9);
        // never more than 3 starts in any second (each start opens a window), and the 9 took three windows
        assertThat(DB.server()
                        .queryLong("SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM sf_job b JOIN sf_job a"
                                + " ON a.attempt_started_at >= b.attempt_started_at AND a.attempt_started_at < b.attempt_started_at + INTERVAL 1 SECOND"
                                + " WHERE a.queue = 'rated' AND b.queue = 'rated' GROUP BY b.id) w"))
                .isEqualTo(3);
        assertThat(DB.server()
                        .queryLong("SELECT TIMESTAMPDIFF(MICROSECOND, MIN(attempt_started_at), MAX(attempt_started_at))"
                                + " FROM sf_job WHERE queue = 'rated'"))
                .isGreaterThanOrEqualTo(2_000_000);

        Cli.Result off = cli.run("queue", "limit", "rated", "--off", "--url", url);
        assertThat(off.exitCode()).as(off.toString()).isZero();
        assertThat(off.out()).contains("queue rated has no rate limit any more");
        JsonNode stats = JSON.readTree(cli.run("stats", "--url", url, "--json").out());
        assertThat(stats.path("queues").path("rated").path("rate_limit").isNull())
                .isTrue();
    }

    /**
     * Issue 27: jobs no live worker will start are named: a hint on stderr at enqueue (still enqueued, exit 0), in
     * {@code stats} and {@code stats --json}, by {@code doctor} (WARN, ERROR once the oldest waited over 10 minutes;
     * "no live worker" while none runs), and by {@code work --stop-when-empty} as it leaves them.
     */
    @Test
    void jobsNoLiveWorkerHandlesAreNamedEverywhere() throws Exception {
        Cli cli = CliTestSupport.against(dir, DB.server());
        String url = DB.server().url(JdbcDriver.MARIADB);
        assertThat(cli.run("migrate", "--url", url).exitCode()).isZero();
        Cli.Result typo = cli.run("enqueue", "--url", url, "--type", "sendmail-typo", "--queue", "strand");
        assertThat(typo.exitCode()).as(typo.toString()).isZero();
        assertThat(typo.err()).as("no live worker: nothing to compare with").doesNotContain("note");
        JsonNode alone = JSON.readTree(cli.run("doctor", "--url", url, "--json").out());
        assertThat(alone.path("findings"))
                .anySatisfy(f -> {
                    assertThat(f.path("check").asText()).isEqualTo("workers");
                    assertThat(f.path("severity").asText()).isEqualTo("WARN");
                    assertThat(f.path("observed").asText())
                            .contains("no live worker")
                            .contains("job(s) due");
                    assertThat(f.path("fix").asText()).contains("start a worker");
                })
                .noneSatisfy(f -> assertThat(f.path("check").asText()).isEqualTo("stranded jobs"));

        Cli.Running worker = cli.start("work", "--url", url, "--queue", "strand");
        try {
            Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                JsonNode stats =
                        JSON.readTree(cli.run("stats", "--url", url, "--json").out());
                assertThat(stats.path("stranded")).anySatisfy(j -> {
                    assertThat(j.path("queue").asText()).isEqualTo("strand");
                    assertThat(j.path("type").asText()).isEqualTo("sendmail-typo");
                    assertThat(j.path("due").asLong()).isEqualTo(1);
                    assertThat(j.path("due_capped").asBoolean()).isFalse();
                    assertThat(j.path("oldest_wait_seconds").isIntegralNumber()).isTrue();
                    assertThat(j.path("queue_served").asBoolean()).isTrue();
                });
            });
            Cli.Result again = cli.run("enqueue", "--url", url, "--type", "sendmail-tpyo", "--queue", "strand");
            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(again.out()).contains("enqueued job");
            assertThat(again.err())
                    .contains("steadfast: note: no live worker handles type sendmail-tpyo in queue strand"
                            + " (they handle fail, noop, sleep); the job waits until one does: check the type's spelling, or start a"
                            + " worker with a handler for sendmail-tpyo");
            Cli.Result nowhere = cli.run("enqueue", "--url", url, "--type", "noop", "--queue", "nowhere");
            assertThat(nowhere.exitCode()).isZero();
            assertThat(nowhere.err())
                    .contains("steadfast: note: no live worker serves queue nowhere (live workers serve ")
                    .contains("strand");
            assertThat(cli.run("enqueue", "--url", url, "--type", "noop", "--queue", "strand")
                            .err())
                    .doesNotContain("note");

            Cli.Result human = cli.run("stats", "--url", url);
            assertThat(human.out())
                    .containsPattern("stranded: 1 due job\\(s\\) of type sendmail-typo in queue strand, oldest waiting"
                            + " \\d+ s: no live worker handles sendmail-typo in strand")
                    .contains(": no live worker serves queue nowhere");
            JsonNode warned =
                    JSON.readTree(cli.run("doctor", "--url", url, "--json").out());
            assertThat(warned.path("findings")).anySatisfy(f -> {
                assertThat(f.path("check").asText()).isEqualTo("stranded jobs");
                assertThat(f.path("severity").asText()).isEqualTo("WARN");
                assertThat(f.path("observed").asText())
                        .startsWith("1 due job(s) of type sendmail-typo in queue strand");
                assertThat(f.path("fix").asText())
                        .contains("with a handler for sendmail-typo, or check the type's spelling");
            });
            DB.server().execute("UPDATE sf_job SET run_at = NOW(3) - INTERVAL 20 MINUTE WHERE type = 'sendmail-typo'");
            Cli.Result doctor = cli.run("doctor", "--url", url);
            assertThat(doctor.exitCode()).as("an ERROR finding: " + doctor).isEqualTo(1);
            assertThat(doctor.out())
                    .containsPattern("ERROR +stranded jobs +1 due job\\(s\\) of type sendmail-typo in queue strand,"
                            + " oldest waiting 20 min: no live worker handles sendmail-typo in strand");
        } finally {
            worker.terminate();
            worker.await(Duration.ofSeconds(60));
        }
        Cli.Result drained = cli.run("work", "--url", url, "--queue", "strand", "--stop-when-empty");
        assertThat(drained.exitCode()).as(drained.toString()).isZero();
        assertThat(drained.err())
                .contains("hold no job of types fail, noop, sleep: stopping; 1 job(s) of type sendmail-tpyo left,"
                        + " 1 job(s) of type sendmail-typo left: no handler here");
        DB.server().execute("DELETE FROM sf_job WHERE queue IN ('strand', 'nowhere')");
    }

    @Test
    void chainsAndWorkflowsThroughTheJar() throws Exception {
        Cli cli = CliTestSupport.against(dir, DB.server());
        String url = DB.server().url(JdbcDriver.MARIADB);
        Cli.Result migrate = cli.run("migrate", "--url", url);
        assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
        long a = enqueued(cli.run("enqueue", "--url", url, "--type", "noop", "--queue", "flow", "--delay", "1h"));
        Cli.Result chained =
                cli.run("enqueue", "--url", url, "--type", "noop", "--queue", "flow", "--after", a + "," + a);
        long b = enqueued(chained);
        assertThat(chained.out()).contains("waits for " + a);
        for (String[] wrong : new String[][] {{"--after", "999999"}, {"--after", "x"}}) {
            Cli.Result refused =
                    cli.run("enqueue", "--url", url, "--type", "noop", "--queue", "flow", wrong[0], wrong[1]);
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
            assertThat(refused.err().strip().lines()).as(refused.toString()).hasSize(1);
            assertThat(CliTestSupport.hasStackTrace(refused.err())).isFalse();
        }
        assertThat(cli.run("enqueue", "--url", url, "--type", "noop", "--queue", "flow", "--after", "999999")
                        .err())
                .contains("job 999999 does not exist");
        JsonNode stats = JSON.readTree(cli.run("stats", "--json", "--url", url).out());
        assertThat(stats.path("waiting").asLong()).isEqualTo(1);
        assertThat(stats.path("queues").path("flow").path("waiting").asLong()).isEqualTo(1);
        JsonNode waiting = JSON.readTree(cli.run("jobs", "list", "--state", "waiting", "--json", "--url", url)
                .out());
        assertThat(waiting.findValues("id")).extracting(JsonNode::asLong).containsExactly(b);

        long workflow;
        try (ResilientDatabase db = ResilientDatabase.builder()
                .jdbcUrl(url)
                .username(DB.server().user())
                .password(DB.server().password())
                .build()) {
            workflow = JobQueue.create(db)
                    .workflows()
                    .enqueue(WorkflowRequest.named("order")
                            .step("charge", JobRequest.of("noop").queue("flow").build())
                            .step("ship", JobRequest.of("noop").queue("flow").build(), "charge")
                            .step(
                                    "invoice",
                                    JobRequest.of("fail")
                                            .queue("flow")
                                            .maxAttempts(1)
                                            .build(),
                                    "charge")
                            .step("notify", JobRequest.of("noop").queue("flow").build(), "ship", "invoice")
                            .step(
                                    "pack",
                                    BatchRequest.create()
                                            .add(JobRequest.of("noop")
                                                    .queue("flow")
                                                    .build())
                                            .add(JobRequest.of("noop")
                                                    .queue("flow")
                                                    .build()),
                                    "charge")
                            .onFailure(FailurePolicy.WAIT)
                            .build())
                    .id();
        }
        Cli.Result work = cli.run("work", "--url", url, "--queue", "flow", "--stop-when-empty");
        assertThat(work.exitCode()).as(work.toString()).isZero();
        JsonNode shown = JSON.readTree(cli.run("workflow", "show", "--json", "--url", url, "" + workflow)
                .out());
        assertThat(shown.path("state").asText()).isEqualTo("waiting");
        assertThat(shown.path("steps").path("invoice").path("state").asText()).isEqualTo("failed");
        assertThat(shown.path("steps").path("notify").path("state").asText()).isEqualTo("waiting");
        assertThat(shown.path("steps").path("notify").path("after"))
                .extracting(JsonNode::asText)
                .containsExactly("ship", "invoice");
        JsonNode listed = JSON.readTree(
                cli.run("workflow", "list", "--json", "--url", url).out());
        assertThat(listed.get(0).path("id").asLong()).isEqualTo(workflow);
        assertThat(listed.get(0).path("state").asText()).isEqualTo("waiting");
        Cli.Result text = cli.run("workflow", "show", "--url", url, "" + workflow);
        assertThat(text.out())
                .contains("workflow " + workflow + " order: waiting")
                .contains("notify")
                .contains("batch "
                        + shown.path("steps")
                                .path("pack")
                                .path("batch")
                                .path("id")
                                .asLong() + ": succeeded, 2 of 2 members finished");
        assertThat(shown.path("steps").path("pack").path("state").asText()).isEqualTo("succeeded");
        Cli.Result retry = cli.run("workflow", "retry", "--url", url, "" + workflow);
        assertThat(retry.out()).as(retry.toString()).contains("retried 1 failed steps of workflow " + workflow);
        Cli.Result cancel = cli.run("workflow", "cancel", "--url", url, "" + workflow);
        assertThat(cancel.out()).as(cancel.toString()).contains("cancelled workflow " + workflow);
        assertThat(JSON.readTree(cli.run("workflow", "show", "--json", "--url", url, "" + workflow)
                                .out())
                        .path("state")
                        .asText())
                .isEqualTo("cancelled");
        Cli.Result missing = cli.run("workflow", "show", "--url", url, "424242");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("no workflow 424242");
    }

    private static long enqueued(Cli.Result result) {
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return Long.parseLong(result.out().replaceAll("(?s)enqueued job (\\d+).*", "$1"));
    }

    private static JsonNode findFailed(Cli cli, String url, long jobId) throws Exception {
        Cli.Result list = cli.run("failed", "list", "--json", "--url", url);
        assertThat(list.exitCode()).as(list.toString()).isZero();
        List<JsonNode> matching = new ArrayList<>();
        JSON.readTree(list.out()).forEach(node -> {
            if (node.path("job_id").asLong() == jobId) {
                matching.add(node);
            }
        });
        assertThat(matching).as(list.toString()).hasSize(1);
        return matching.get(0);
    }
}
