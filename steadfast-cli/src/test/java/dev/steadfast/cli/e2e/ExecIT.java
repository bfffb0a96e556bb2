package dev.steadfast.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.PrivateMariaDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Job code in any language: `work --exec TYPE=COMMAND` through the real jar, with real processes. */
class ExecIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final PrivateMariaDb DB = new PrivateMariaDb();

    @TempDir
    Path dir;

    @Test
    void commandsRunJobsFailWithTheirStderrAreKilledAtTheirTimeAndSeeNoSecret() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        script("record.sh", "cat > \"$1/$STEADFAST_JOB_ID.payload\"\nenv > \"$1/$STEADFAST_JOB_ID.env\"\necho recorded");
        script("fail.sh", "echo \"card declined for job $STEADFAST_JOB_ID\" >&2\nexit 3");
        script("big.sh", "head -c 20000000 /dev/zero | tr '\\0' x\nhead -c 20000000 /dev/zero | tr '\\0' y >&2\nexit 1");
        script("slow.sh", "sleep 3001 &\nsleep 3002");
        Cli cli = CliTestSupport.against(dir, DB.server()).env("STEADFAST_WEBHOOK_URL", "https://hooks.example/T0/secret-hook-77")
                .env("APP_SETTING", "visible-setting").env("OTHER_TOKEN", "not-passed-99");
        String url = DB.server().url(JdbcDriver.MARIADB);
        assertThat(cli.run("migrate", "--url", url).exitCode()).isZero();
        long recorded = enqueued(cli.run("enqueue", "--url", url, "--type", "record", "--payload", "{\"order\": 42, \"note\": \"a; rm -rf ~\"}"));
        long failing = enqueued(cli.run("enqueue", "--url", url, "--type", "decline", "--max-attempts", "1"));
        long big = enqueued(cli.run("enqueue", "--url", url, "--type", "big", "--max-attempts", "1"));
        // its own time limit wins over the type's (--exec-timeout, generous here so that a busy machine fails nothing else)
        long slow = enqueued(cli.run("enqueue", "--url", url, "--type", "slow", "--max-attempts", "1", "--timeout", "2s"));

        Cli.Result work = cli.run("work", "--url", url, "--concurrency", "4", "--stop-when-empty", "--exec-timeout", "60s",
                "--exec", "record=sh " + dir.resolve("record.sh") + " " + out, "--exec", "decline=sh " + dir.resolve("fail.sh"),
                "--exec", "big=sh '" + dir.resolve("big.sh") + "'", "--exec", "slow=sh " + dir.resolve("slow.sh"),
                "--exec-env", "APP_SETTING");
        assertThat(work.exitCode()).as(work.toString()).isZero();

        // success: the payload on stdin, the job's facts and the allowed variables in the environment, no secret
        assertThat(state(recorded)).isEqualTo("succeeded");
        assertThat(JSON.readTree(Files.readString(out.resolve(recorded + ".payload"))).path("note").asText()).isEqualTo("a; rm -rf ~");
        String env = Files.readString(out.resolve(recorded + ".env"));
        assertThat(env).contains("STEADFAST_JOB_ID=" + recorded, "STEADFAST_JOB_ATTEMPT=1", "STEADFAST_JOB_MAX_ATTEMPTS=3",
                "STEADFAST_JOB_QUEUE=default", "STEADFAST_JOB_TYPE=record", "APP_SETTING=visible-setting", "PATH=");
        assertThat(env).doesNotContain(DB.server().password()).doesNotContain("secret-hook-77").doesNotContain("not-passed-99")
                .doesNotContain("STEADFAST_USER").doesNotContain("STEADFAST_PASSWORD");

        // what it printed is kept per attempt, for the job's dashboard page
        assertThat(DB.server().queryLong("SELECT COUNT(*) FROM sf_job_output WHERE job_id = " + recorded
                + " AND attempt = 1 AND exit_status = 0 AND stdout = 'recorded\n' AND stdout_bytes = 9")).isEqualTo(1);

        JsonNode shown = JSON.readTree(cli.run("jobs", "show", Long.toString(recorded), "--json", "--url", url).out());
        assertThat(shown.path("output").get(0).path("stdout").asText()).isEqualTo("recorded\n");
        assertThat(shown.path("output").get(0).path("exit_status").asInt()).isZero();

        // failure: the status and stderr in the failed-job log
        JsonNode failed = failedJob(cli, url, failing);
        assertThat(failed.path("error").asText()).contains("exit status 3").contains("card declined for job " + failing);

        // 40 MB of output: the worker keeps a bounded tail, the error a short one
        String bigError = failedJob(cli, url, big).path("error").asText();
        assertThat(bigError).contains("exit status 1; stderr: ...yyyy").hasSizeLessThan(3_000).doesNotContain("xxxx");
        assertThat(DB.server().queryLong("SELECT stdout_bytes + stderr_bytes FROM sf_job_output WHERE job_id = " + big)).isEqualTo(40_000_000);
        assertThat(DB.server().queryLong("SELECT LENGTH(stdout) FROM sf_job_output WHERE job_id = " + big)).as("a bounded tail")
                .isLessThan(70_000);

        // past its time: the whole process tree is killed, the attempt fails as timed out
        assertThat(failedJob(cli, url, slow).path("error").asText()).contains("timed out after 2");
        assertThat(DB.server().queryLong("SELECT COUNT(*) FROM sf_job_output WHERE job_id = " + slow + " AND exit_status IS NULL"))
                .as("stopped before it ended").isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.allProcesses()
                .noneMatch(p -> p.info().commandLine().orElse("").matches(".*sleep 300[12].*")));
    }

    @Test
    void sigtermOfTheWorkerIsForwardedToItsRunningCommands() throws Exception {
        Path started = dir.resolve("started");
        Path trapped = dir.resolve("trapped");
        script("trap.sh", "trap 'echo terminated > " + trapped + "; exit 0' TERM\necho started > " + started
                + "\nwhile true; do sleep 0.1; done");
        Cli cli = CliTestSupport.against(dir, DB.server());
        String url = DB.server().url(JdbcDriver.MYSQL);
        assertThat(cli.run("migrate", "--url", url).exitCode()).isZero();
        long job = enqueued(cli.run("enqueue", "--url", url, "--type", "trap", "--queue", "traps"));
        Cli.Running worker = cli.start("work", "--url", url, "--queue", "traps", "--shutdown-grace", "20s",
                "--exec", "trap=sh " + dir.resolve("trap.sh"));
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(started));
        worker.terminate();
        Cli.Result stopped = worker.await(Duration.ofSeconds(60));
        assertThat(stopped.exitCode()).as(stopped.toString()).isZero();
        assertThat(Files.readString(trapped)).contains("terminated");
        assertThat(state(job)).as("the command ended well within the grace").isEqualTo("succeeded");
    }

    private void script(String name, String body) throws Exception {
        Files.writeString(dir.resolve(name), "#!/bin/sh\n" + body + "\n");
    }

    private static String state(long id) throws Exception {
        try (var c = DB.server().admin(); var s = c.createStatement(); var rs = s.executeQuery("SELECT state FROM sf_job WHERE id = " + id)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long enqueued(Cli.Result result) {
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return Long.parseLong(result.out().replaceAll("(?s)enqueued job (\\d+).*", "$1"));
    }

    private static JsonNode failedJob(Cli cli, String url, long jobId) throws Exception {
        Cli.Result list = cli.run("failed", "list", "--json", "--url", url);
        assertThat(list.exitCode()).as(list.toString()).isZero();
        for (JsonNode node : JSON.readTree(list.out())) {
            if (node.path("job_id").asLong() == jobId) {
                return node;
            }
        }
        throw new AssertionError("job " + jobId + " is not in the failed-job log: " + list.out());
    }
}
