package dev.steadfast.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.PrivateMariaDb;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

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
        assertThat(bulk.out()).contains("enqueued 2500 jobs");

        Path payload = dir.resolve("payload.json");
        Files.writeString(payload, "{\"message\": \"card declined\", \"order\": 42}");
        Cli.Result failing = cli.run("enqueue", "--url", url, "--type", "fail", "--queue", queue, "--payload", "@" + payload,
                "--max-attempts", "1");
        assertThat(failing.exitCode()).as(failing.toString()).isZero();
        long failingJob = Long.parseLong(failing.out().replaceAll("(?s)enqueued job (\\d+).*", "$1"));

        Cli.Result unique1 = cli.run("enqueue", "--url", url, "--type", "noop", "--queue", queue + "-later",
                "--unique-key", "nightly", "--delay", "1h", "--priority", "5");
        Cli.Result unique2 = cli.run("enqueue", "--url", url, "--type", "noop", "--queue", queue + "-later",
                "--unique-key", "nightly", "--delay", "1h");
        assertThat(unique2.out()).as("the same live unique key returns the first job").isEqualTo(unique1.out());
        assertThat(unique1.out()).as("a delayed job says when it runs").containsPattern("runs at 20\\d\\d-\\d\\d-\\d\\dT");

        Cli.Result piped = cli.runWithInput("{\"message\": \"from stdin\"}", "enqueue", "--url", url, "--type", "fail",
                "--queue", queue + "-stdin", "--payload", "@-");
        assertThat(piped.exitCode()).as(piped.toString()).isZero();
        assertThat(DB.server().queryLong("SELECT COUNT(*) FROM sf_job WHERE queue = '" + queue + "-stdin'"
                + " AND JSON_VALUE(payload, '$.message') = 'from stdin'")).isEqualTo(1);
        Cli.Result pipedTooMuch = cli.runWithInput("{\"message\": \"far too long for the limit\"}", "enqueue", "--url", url,
                "--type", "fail", "--queue", queue + "-stdin", "--payload", "@-", "--max-payload", "10");
        assertThat(pipedTooMuch.exitCode()).as(pipedTooMuch.toString()).isEqualTo(2);
        assertThat(pipedTooMuch.err()).contains("more than --max-payload 10 bytes");

        Cli.Result work = cli.run("work", "--url", url, "--queue", queue, "--concurrency", "4", "--stop-when-empty");
        assertThat(work.exitCode()).as(work.toString()).isZero();
        assertThat(work.err()).contains("hold no job of types [fail, noop, sleep]: stopping");

        Cli.Result stats = cli.run("stats", "--url", url, "--json");
        assertThat(stats.exitCode()).as(stats.toString()).isZero();
        JsonNode counts = JSON.readTree(stats.out());
        assertThat(counts.fieldNames()).toIterable().contains("pending", "scheduled", "running", "succeeded", "failed", "queues");
        assertThat(counts.path("queues").path(queue).path("succeeded").asLong()).isEqualTo(2500);
        assertThat(counts.path("queues").path(queue).path("failed").asLong()).isEqualTo(1);
        assertThat(counts.path("queues").path(queue).path("pending").asLong()).isZero();
        assertThat(counts.path("queues").path(queue + "-later").path("scheduled").asLong()).isEqualTo(1);

        Cli.Result logged = cli.run("stats", "--url", url, "--json", "--log-json");
        assertThat(logged.err().lines().toList()).isNotEmpty().allSatisfy(line -> {
            JsonNode entry = JSON.readTree(line);
            assertThat(entry.fieldNames()).toIterable().contains("time", "level", "logger", "message");
        });
        assertThat(JSON.readTree(logged.out()).path("queues").path(queue).path("succeeded").asLong()).isEqualTo(2500);

        Cli.Result table = cli.run("stats", "--url", url);
        assertThat(table.out()).contains("QUEUE").containsPattern(queue + "\\s+0\\s+0\\s+0\\s+2500\\s+1");

        JsonNode failed = findFailed(cli, url, failingJob);
        assertThat(failed.path("type").asText()).isEqualTo("fail");
        assertThat(failed.path("queue").asText()).isEqualTo(queue);
        assertThat(failed.path("attempts").asInt()).isEqualTo(1);
        assertThat(failed.path("error").asText()).contains("JobFailedAsAskedException: card declined");
        assertThat(failed.fieldNames()).toIterable().containsExactly("id", "job_id", "type", "queue", "attempts", "error", "failed_at");
        long failedId = failed.path("id").asLong();

        Cli.Result show = cli.run("failed", "show", Long.toString(failedId), "--url", url);
        assertThat(show.exitCode()).as(show.toString()).isZero();
        assertThat(show.out()).contains("card declined").contains("\"order\":42").contains("stack trace:").contains("BuiltInHandlers");

        Cli.Result retry = cli.run("failed", "retry", Long.toString(failedId), "--url", url);
        assertThat(retry.exitCode()).as(retry.toString()).isZero();
        JsonNode afterRetry = JSON.readTree(cli.run("stats", "--url", url, "--json").out()).path("queues").path(queue);
        assertThat(afterRetry.path("pending").asLong()).as("back in the queue").isEqualTo(1);
        assertThat(afterRetry.path("failed").asLong()).isZero();

        cli.run("work", "--url", url, "--queue", queue, "--stop-when-empty");
        long failedAgain = findFailed(cli, url, failingJob).path("id").asLong();
        Cli.Result forget = cli.run("failed", "forget", Long.toString(failedAgain), "--url", url);
        assertThat(forget.exitCode()).as(forget.toString()).isZero();
        Cli.Result gone = cli.run("failed", "show", Long.toString(failedAgain), "--url", url);
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.err()).contains("no failed job with id " + failedAgain);

        cli.run("enqueue", "--url", url, "--type", "fail", "--queue", queue, "--max-attempts", "1", "--count", "3");
        cli.run("work", "--url", url, "--queue", queue, "--stop-when-empty");
        Cli.Result retryAll = cli.run("failed", "retry", "--all", "--url", url);
        assertThat(retryAll.out()).contains("retrying 3 failed job(s)");
        cli.run("work", "--url", url, "--queue", queue, "--stop-when-empty");
        Cli.Result flush = cli.run("failed", "flush", "--url", url);
        assertThat(flush.out()).contains("deleted 3 failed job(s)");
        Cli.Result empty = cli.run("failed", "list", "--url", url);
        assertThat(empty.out()).contains("no failed jobs");
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
