package dev.steadfast.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a job leaves behind (its error, its output) is printed safely through the jar: the worker's log keeps one line
 * per event whatever the message holds, the terminal never gets a raw escape sequence, and secrets are masked in
 * {@code jobs show} and {@code failed show} as on the dashboard.
 */
class StoredTextIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FORGED = "1999-01-01T00:00:00.000Z INFO  jobs - job 999 succeeded";
    private static final String TOKEN = "ui-token-for-stored-text-0123456789";

    @TempDir
    Path dir;

    @Test
    void aJobsMessagesAndOutputCannotForgeLogLinesNorReachTheTerminalRawNorShowSecrets() throws Exception {
        MariaDbServer server = MariaDbServer.shared();
        String url = server.url(JdbcDriver.MARIADB);
        String password = server.password();
        String queue = "stored-text-" + Long.toHexString(System.nanoTime());
        Cli cli = CliTestSupport.against(dir, server).env("STEADFAST_UI_TOKEN", TOKEN);
        assertThat(cli.run("migrate", "--url", url).exitCode()).isZero();

        // a message with a line break that looks like a log line, colours, a window title (OSC) and a C1 CSI
        long forging = enqueued(cli.run(
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
                "{\"message\": \"declined\\n" + FORGED + " \\u001b[31mred\\u001b]0;owned\\u0007 \\u009b2J\"}"));
        // a command that prints the database password and the dashboard token, with escapes, and fails
        Path script = dir.resolve("leak.sh");
        Files.writeString(
                script,
                "#!/bin/sh\nprintf 'connected with %s\\033[2J\\n' '" + password + "'\n"
                        + "printf '\\033[31mfailed\\033]0;title\\007 token %s\\n' '" + TOKEN + "' >&2\nexit 3\n");
        long leaking =
                enqueued(cli.run("enqueue", "--url", url, "--type", "leak", "--queue", queue, "--max-attempts", "1"));

        Cli.Result work = cli.run(
                "work",
                "--url",
                url,
                "--queue",
                queue,
                "--stop-when-empty",
                "--notify",
                "log",
                "--exec",
                "leak=sh " + script);
        assertThat(work.exitCode()).as(work.toString()).isZero();
        List<String> log = work.err().lines().toList();
        assertThat(work.err()).as("no raw escape in the log").doesNotContain("\u001b", "\u0007", "\u009b");
        assertThat(log).as("no forged line").noneMatch(line -> line.startsWith(FORGED));
        assertThat(log.stream().filter(line -> line.contains("job " + forging + " failed for good")))
                .as("the attempt's line, one line with the escapes visible")
                .singleElement()
                .asString()
                .contains("declined\\n" + FORGED + " \\u001b[31mred\\u001b]0;owned\\u0007 \\u009b2J");
        assertThat(log)
                .as("every line that tells of the message carries all of it")
                .filteredOn(line -> line.contains("job 999 succeeded"))
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line).contains("declined\\n" + FORGED));
        assertThat(log.stream().filter(line -> line.contains("job " + leaking + " failed for good")))
                .singleElement()
                .asString()
                .contains("\\u001b[31mfailed\\u001b]0;title\\u0007 token ***")
                .doesNotContain(TOKEN);

        for (long id : new long[] {forging, leaking}) {
            for (String command : new String[] {"jobs", "failed"}) {
                Cli.Result show = cli.run(command, "show", Long.toString(id), "--url", url);
                assertThat(show.exitCode()).as(show.toString()).isZero();
                assertThat(show.out())
                        .as(command + " show " + id)
                        .doesNotContain("\u001b", "\u0007", "\u009b", password, TOKEN);
                Cli.Result json = cli.run(command, "show", Long.toString(id), "--json", "--url", url);
                assertThat(json.out())
                        .as(command + " show --json " + id)
                        .doesNotContain("\u001b", "\u0007", "\u009b", password, TOKEN);
                assertThat(json.out().strip())
                        .as("one JSON document on one line")
                        .doesNotContain("\n");
                JSON.readTree(json.out());
            }
        }
        for (String command : new String[] {"jobs", "failed"}) {
            JsonNode payload = JSON.readTree(cli.run(command, "show", Long.toString(forging), "--json", "--url", url)
                            .out())
                    .path("payload");
            assertThat(payload.isObject())
                    .as("issue 27: " + command + " show --json gives the payload as the JSON it is: " + payload)
                    .isTrue();
            assertThat(payload.path("message").asText()).startsWith("declined\n" + FORGED + " \u001b[31mred");
        }
        Cli.Result failedShow = cli.run("failed", "show", Long.toString(forging), "--url", url);
        assertThat(failedShow.out())
                .contains("  error:     ", "declined\\n" + FORGED + " \\u001b[31mred")
                .contains(
                        "    dev.steadfast.cli.plugins.BuiltInHandlers$JobFailedAsAskedException: declined\\n" + FORGED)
                .doesNotContain("\n" + FORGED, "\n    " + FORGED);
        Cli.Result jobShow = cli.run("jobs", "show", Long.toString(leaking), "--url", url);
        assertThat(jobShow.out())
                .contains(
                        "    connected with ***\\u001b[2J",
                        "    stderr: \\u001b[31mfailed\\u001b]0;title\\u0007 token ***");
        JsonNode output = JSON.readTree(cli.run("jobs", "show", Long.toString(leaking), "--json", "--url", url)
                        .out())
                .path("output")
                .get(0);
        assertThat(output.path("stdout").asText())
                .as("JSON keeps the text, masked")
                .isEqualTo("connected with ***\u001b[2J\n");
        assertThat(output.path("exit_status").asInt()).isEqualTo(3);

        for (String[] list :
                new String[][] {{"jobs", "list", "--queue", queue}, {"failed", "list", "--queue", queue}}) {
            Cli.Result listed = cli.run(concat(list, "--url", url));
            assertThat(listed.exitCode()).as(listed.toString()).isZero();
            assertThat(listed.out()).doesNotContain("\u001b", "\u0007", "\u009b", password, TOKEN);
            assertThat(listed.out().lines()).as("a header and one line per job").hasSize(3);
        }
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    private static long enqueued(Cli.Result result) {
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return Long.parseLong(result.out().replaceAll("(?s)enqueued job (\\d+).*", "$1"));
    }
}
