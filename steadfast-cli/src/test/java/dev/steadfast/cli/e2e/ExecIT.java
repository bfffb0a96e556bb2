package dev.steadfast.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.PrivateMariaDb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

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
        script(
                "record.sh",
                "cat > \"$1/$STEADFAST_JOB_ID.payload\"\nenv > \"$1/$STEADFAST_JOB_ID.env\"\necho recorded\n"
                        + "printf '{\"charge\": \"ch_%s\", \"cents\": 1250}' \"$STEADFAST_JOB_ID\" > \"$STEADFAST_RESULT_FILE\"");
        // results that fail the attempt with one clear line: no JSON, more than --max-result-size
        script("badresult.sh", "echo '{\"charge\": ' > \"$STEADFAST_RESULT_FILE\"");
        script("hugeresult.sh", "printf '\"%0100d\"' 0 > \"$STEADFAST_RESULT_FILE\"");
        script("fail.sh", "echo \"card declined for job $STEADFAST_JOB_ID\" >&2\nexit 3");
        script(
                "big.sh",
                "head -c 20000000 /dev/zero | tr '\\0' x\nhead -c 20000000 /dev/zero | tr '\\0' y >&2\nexit 1");
        // orphans out of its tree before the kill: one in a session of its own, one in the command's
        script("slow.sh", "(setsid sleep 3003 &)\n(sleep 3004 &)\nsleep 3001 &\nsleep 3002");
        // leftovers holding its output open: the job ends with the command, and they are killed
        script(
                "leftover.sh",
                "setsid sleep 3005 &\necho $! > \"$1/leftover.pids\"\n(sleep 3006 & echo $! >> \"$1/leftover.pids\")\necho left");
        Cli cli = CliTestSupport.against(dir, DB.server())
                .env("STEADFAST_WEBHOOK_URL", "https://hooks.example/T0/secret-hook-77")
                .env("APP_SETTING", "visible-setting")
                .env("OTHER_TOKEN", "not-passed-99");
        String url = DB.server().url(JdbcDriver.MARIADB);
        assertThat(cli.run("migrate", "--url", url).exitCode()).isZero();
        long recorded = enqueued(cli.run(
                "enqueue",
                "--url",
                url,
                "--type",
                "record",
                "--payload",
                "{\"order\": 42, \"note\": \"a; rm -rf ~\"}"));
        long failing = enqueued(cli.run("enqueue", "--url", url, "--type", "decline", "--max-attempts", "1"));
        long badResult = enqueued(cli.run("enqueue", "--url", url, "--type", "badresult", "--max-attempts", "1"));
        long hugeResult = enqueued(cli.run("enqueue", "--url", url, "--type", "hugeresult", "--max-attempts", "3"));
        long big = enqueued(cli.run("enqueue", "--url", url, "--type", "big", "--max-attempts", "1"));
        // its own time limit wins over the type's (--exec-timeout, generous here so that a busy machine fails nothing
        // else)
        long slow =
                enqueued(cli.run("enqueue", "--url", url, "--type", "slow", "--max-attempts", "1", "--timeout", "2s"));
        // 3 s: waiting for the leftovers' pipes alone took 4 s before they were killed at the command's end
        long leftover = enqueued(
                cli.run("enqueue", "--url", url, "--type", "leftover", "--max-attempts", "1", "--timeout", "3s"));

        Cli.Result work = cli.run(
                "work",
                "--url",
                url,
                "--concurrency",
                "4",
                "--stop-when-empty",
                "--exec-timeout",
                "60s",
                "--exec",
                "record=sh " + dir.resolve("record.sh") + " " + out,
                "--exec",
                "decline=sh " + dir.resolve("fail.sh"),
                "--exec",
                "badresult=sh " + dir.resolve("badresult.sh"),
                "--exec",
                "hugeresult=sh " + dir.resolve("hugeresult.sh"),
                "--max-result-size",
                "64",
                "--exec",
                "big=sh '" + dir.resolve("big.sh") + "'",
                "--exec",
                "slow=sh " + dir.resolve("slow.sh"),
                "--exec",
                "leftover=sh " + dir.resolve("leftover.sh") + " " + out,
                "--exec-env",
                "APP_SETTING");
        assertThat(work.exitCode()).as(work.toString()).isZero();

        // success: the payload on stdin, the job's facts and the allowed variables in the environment, no secret
        assertThat(state(recorded)).isEqualTo("succeeded");
        assertThat(JSON.readTree(Files.readString(out.resolve(recorded + ".payload")))
                        .path("note")
                        .asText())
                .isEqualTo("a; rm -rf ~");
        String env = Files.readString(out.resolve(recorded + ".env"));
        assertThat(env)
                .contains(
                        "STEADFAST_JOB_ID=" + recorded,
                        "STEADFAST_JOB_ATTEMPT=1",
                        "STEADFAST_JOB_MAX_ATTEMPTS=3",
                        "STEADFAST_JOB_QUEUE=default",
                        "STEADFAST_JOB_TYPE=record",
                        "APP_SETTING=visible-setting",
                        "PATH=");
        assertThat(env)
                .doesNotContain(DB.server().password())
                .doesNotContain("secret-hook-77")
                .doesNotContain("not-passed-99")
                .doesNotContain("STEADFAST_USER")
                .doesNotContain("STEADFAST_PASSWORD");

        // what it printed is kept per attempt, for the job's dashboard page
        assertThat(
                        DB.server()
                                .queryLong(
                                        "SELECT COUNT(*) FROM sf_job_output WHERE job_id = " + recorded
                                                + " AND attempt = 1 AND exit_status = 0 AND stdout = 'recorded\n' AND stdout_bytes = 9"))
                .isEqualTo(1);

        JsonNode shown = JSON.readTree(cli.run("jobs", "show", Long.toString(recorded), "--json", "--url", url)
                .out());
        assertThat(shown.path("output").get(0).path("stdout").asText()).isEqualTo("recorded\n");
        assertThat(shown.path("output").get(0).path("exit_status").asInt()).isZero();
        // its result: the JSON it wrote to STEADFAST_RESULT_FILE, shown as a JSON value, in text too
        assertThat(shown.path("result"))
                .isEqualTo(JSON.readTree("{\"charge\": \"ch_" + recorded + "\", \"cents\": 1250}"));
        assertThat(shown.path("progress").isNull()).isTrue();
        assertThat(shown.path("log").isEmpty()).isTrue();
        assertThat(cli.run("jobs", "show", Long.toString(recorded), "--url", url)
                        .out())
                .contains("  result:      {\"charge\":\"ch_" + recorded + "\",\"cents\":1250}");
        // a Java handler's progress and log (written by its worker; here by hand), in text and JSON
        DB.server()
                .execute(
                        "UPDATE sf_job SET progress_fraction = 0.4, progress_message = 'row 400 of 1000',"
                                + " progress_at = NOW(3) WHERE id = " + recorded,
                        "INSERT INTO sf_job_log (job_id, attempt, log, log_bytes) VALUES (" + recorded
                                + ", 1, 'opened the file\nrow 400\n', 24)");
        assertThat(cli.run("jobs", "show", Long.toString(recorded), "--url", url)
                        .out())
                .contains("  progress:    40.0% row 400 of 1000 (at ")
                .contains("  log of attempt 1 (24 bytes logged):\n    opened the file\n    row 400\n");
        JsonNode noted = JSON.readTree(cli.run("jobs", "show", Long.toString(recorded), "--json", "--url", url)
                .out());
        assertThat(noted.path("progress").path("fraction").asDouble()).isEqualTo(0.4);
        assertThat(noted.path("log").get(0).path("text").asText()).isEqualTo("opened the file\nrow 400\n");
        assertThat(failedJob(cli, url, badResult).path("error").asText())
                .contains("the command's result file (STEADFAST_RESULT_FILE) holds no valid JSON");
        JsonNode huge = JSON.readTree(cli.run("jobs", "show", Long.toString(hugeResult), "--json", "--url", url)
                .out());
        assertThat(huge.path("state").asText()).isEqualTo("failed");
        assertThat(huge.path("attempts").asInt())
                .as("an oversized result is not retried")
                .isEqualTo(1);
        assertThat(huge.path("last_error").asText()).contains("is 102 bytes, over the worker's limit of 64 bytes");
        assertThat(huge.path("result").isNull()).isTrue();

        // failure: the status and stderr in the failed-job log
        JsonNode failed = failedJob(cli, url, failing);
        assertThat(failed.path("error").asText())
                .contains("exit status 3")
                .contains("card declined for job " + failing);

        // 40 MB of output: the worker keeps a bounded tail, the error a short one
        String bigError = failedJob(cli, url, big).path("error").asText();
        assertThat(bigError)
                .contains("exit status 1; stderr: ...yyyy")
                .hasSizeLessThan(3_000)
                .doesNotContain("xxxx");
        assertThat(DB.server().queryLong("SELECT stdout_bytes + stderr_bytes FROM sf_job_output WHERE job_id = " + big))
                .isEqualTo(40_000_000);
        assertThat(DB.server().queryLong("SELECT LENGTH(stdout) FROM sf_job_output WHERE job_id = " + big))
                .as("a bounded tail")
                .isLessThan(70_000);

        // past its time: the whole process tree is killed, the attempt fails as timed out
        assertThat(failedJob(cli, url, slow).path("error").asText()).contains("timed out after 2");
        assertThat(DB.server()
                        .queryLong("SELECT COUNT(*) FROM sf_job_output WHERE job_id = " + slow
                                + " AND exit_status IS NULL"))
                .as("stopped before it ended")
                .isEqualTo(1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ProcessHandle.allProcesses()
                        .noneMatch(p -> p.info().commandLine().orElse("").matches(".*sleep 300[1-6].*")));

        // what a command leaves running is killed as it ends, before the outcome is recorded: no slot held, nothing
        // left
        assertThat(state(leftover)).as(failedOrNot(cli, url, leftover)).isEqualTo("succeeded");
        List<Long> leftovers = Files.readAllLines(out.resolve("leftover.pids")).stream()
                .map(Long::parseLong)
                .toList();
        assertThat(leftovers).hasSize(2).noneMatch(ExecIT::running);
        assertThat(DB.server()
                        .queryLong("SELECT COUNT(*) FROM sf_job_output WHERE job_id = " + leftover
                                + " AND stdout = 'left\n'"))
                .isEqualTo(1);

        // commands run as the worker's user could read these from /proc/PPID/environ: said at start, names only
        assertThat(work.err())
                .contains(
                        "job commands run as this worker's user and can read its environment (/proc/PID/environ),"
                                + " which holds secrets (STEADFAST_PASSWORD, STEADFAST_WEBHOOK_URL); give secrets in files instead")
                .doesNotContain("secret-hook-77");
    }

    @Test
    void sigtermOfTheWorkerIsForwardedToItsRunningCommandsAndSecretsGivenInFilesAreNotInItsEnvironment()
            throws Exception {
        Path started = dir.resolve("started");
        Path trapped = dir.resolve("trapped");
        Path pids = dir.resolve("trap.pids");
        Path environ = dir.resolve("worker.environ");
        script(
                "trap.sh",
                "trap 'echo terminated > " + trapped + "; exit 0' TERM\n(setsid sleep 3007 & echo $! > " + pids
                        + ")\necho started > " + started + "\nwhile true; do sleep 0.1; done");
        script("peek.sh", "tr '\\0' '\\n' < /proc/$PPID/environ > " + environ);
        String token = "ui-token-from-a-file-4242";
        Path passwordFile = secretFile("db-password", DB.server().password());
        Path tokenFile = secretFile("ui-token", token);
        // the documented way: secrets in files, only their paths and harmless settings in the environment
        Cli cli = new Cli(dir)
                .env("STEADFAST_USER", DB.server().user())
                .env("STEADFAST_PASSWORD_FILE", passwordFile.toString());
        String url = DB.server().url(JdbcDriver.MYSQL);
        assertThat(cli.run("migrate", "--url", url).exitCode()).isZero();
        long job = enqueued(cli.run("enqueue", "--url", url, "--type", "trap", "--queue", "traps"));
        long peek = enqueued(cli.run("enqueue", "--url", url, "--type", "peek", "--queue", "traps"));
        Cli.Running worker = cli.start(
                "work",
                "--url",
                url,
                "--queue",
                "traps",
                "--shutdown-grace",
                "20s",
                "--http-port",
                "0",
                "--token-file",
                tokenFile.toString(),
                "--exec",
                "trap=sh " + dir.resolve("trap.sh"),
                "--exec",
                "peek=sh " + dir.resolve("peek.sh"));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> Files.exists(started) && Files.exists(pids) && "succeeded".equals(state(peek)));

        // a command can read the worker's environment (same user), but no secret is there
        String workerEnvironment = Files.readString(environ);
        assertThat(workerEnvironment)
                .contains("STEADFAST_USER=" + DB.server().user(), "STEADFAST_PASSWORD_FILE=" + passwordFile)
                .doesNotContain(DB.server().password())
                .doesNotContain(token);

        worker.terminate();
        Cli.Result stopped = worker.await(Duration.ofSeconds(60));
        assertThat(stopped.exitCode()).as(stopped.toString()).isZero();
        assertThat(Files.readString(trapped)).contains("terminated");
        assertThat(state(job)).as("the command ended well within the grace").isEqualTo("succeeded");
        assertThat(Long.parseLong(Files.readString(pids).strip()))
                .as("its leftover went with it")
                .matches(p -> !running(p));
        assertThat(stopped.err())
                .doesNotContain("which holds STEADFAST")
                .contains("job commands run as this worker's user: they can" + " read every file it can");
    }

    @Test
    void commandsRunAsAnotherUserWhenTheWorkerCanSwitch() throws Exception {
        Cli cli =
                CliTestSupport.against(dir, DB.server()); // the password in the environment: out of the commands' reach
        String url = DB.server().url(JdbcDriver.MARIADB);
        Cli.Result unknown = cli.run("work", "--url", url, "--exec", "t=true", "--exec-user", "no-such-user-sf");
        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(2);
        assertThat(unknown.err().strip())
                .endsWith("--exec-user no-such-user-sf: no such user on this machine (getent passwd"
                        + " no-such-user-sf finds none)");
        assertThat(CliTestSupport.hasStackTrace(unknown.err())).isFalse();
        boolean root = ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        Cli.Result refused = cli.run("work", "--url", url, "--exec", "t=true", "--exec-user", root ? "root" : "nobody");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err())
                .contains(
                        root
                                ? "--exec-user root is the user running this worker"
                                : "--exec-user nobody: this worker cannot run commands as another user");
        assumeTrue(root, "running commands as another user needs a worker running as root");

        Path secret = secretFile("credentials", "file-secret-5150");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        script(
                "who.sh",
                "id -u\necho HOME=$HOME\ntr '\\0' '\\n' < /proc/$PPID/environ\ncat " + secret
                        + "\n(setsid sleep 3008 &)\necho end");
        Files.setPosixFilePermissions(dir.resolve("who.sh"), PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(cli.run("migrate", "--url", url).exitCode()).isZero();
        long who = enqueued(cli.run("enqueue", "--url", url, "--type", "who", "--queue", "users"));
        Cli.Result work = cli.run(
                "work",
                "--url",
                url,
                "--queue",
                "users",
                "--stop-when-empty",
                "--exec-user",
                "nobody",
                "--exec",
                "who=sh " + dir.resolve("who.sh"));
        assertThat(work.exitCode()).as(work.toString()).isZero();
        assertThat(work.err())
                .contains("job commands run as user nobody (uid 65534")
                .doesNotContain("which holds STEADFAST");
        assertThat(state(who)).isEqualTo("succeeded");
        JsonNode output = JSON.readTree(cli.run("jobs", "show", Long.toString(who), "--json", "--url", url)
                        .out())
                .path("output")
                .get(0);
        assertThat(output.path("stdout").asText())
                .startsWith("65534\nHOME=/nonexistent\n")
                .endsWith("end\n")
                .doesNotContain(DB.server().password())
                .doesNotContain("file-secret-5150")
                .doesNotContain("PATH=");
        assertThat(output.path("stderr").asText())
                .contains("/environ: Permission denied", secret + ": Permission denied");
        assertThat(ProcessHandle.allProcesses())
                .as("another user's leftovers are killed too")
                .noneMatch(p -> p.info().commandLine().orElse("").matches(".*sleep 3008.*"));
    }

    private Path secretFile(String name, String content) throws Exception {
        Path file = Files.writeString(dir.resolve(name), content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    /** In /proc and not a zombie (a killed orphan may wait for an init that does not reap). */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.substring(stat.lastIndexOf(')') + 2).charAt(0);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    private static String failedOrNot(Cli cli, String url, long jobId) {
        return cli.run("jobs", "show", Long.toString(jobId), "--json", "--url", url)
                .out();
    }

    private void script(String name, String body) throws Exception {
        Files.writeString(dir.resolve(name), "#!/bin/sh\n" + body + "\n");
    }

    private static String state(long id) throws Exception {
        try (var c = DB.server().admin();
                var s = c.createStatement();
                var rs = s.executeQuery("SELECT state FROM sf_job WHERE id = " + id)) {
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
