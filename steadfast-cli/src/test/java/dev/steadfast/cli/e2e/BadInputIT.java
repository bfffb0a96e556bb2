package dev.steadfast.cli.e2e;

import dev.steadfast.embedded.PortAllocator;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Every user mistake: one clear line, the contract's exit code, no stack trace, nothing written. */
class BadInputIT {
    @TempDir
    Path dir;

    private static void assertUserError(Cli.Result result, int exitCode, String... fragments) {
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(exitCode);
        assertThat(result.err()).as(result.toString()).contains(fragments);
        assertThat(CliTestSupport.hasStackTrace(result.err())).as(result.toString()).isFalse();
        assertThat(result.out()).as("nothing on stdout for a failed command").isEmpty();
    }

    @Test
    void usageErrorsExitTwo() throws Exception {
        MariaDbServer server = MariaDbServer.shared();
        Cli cli = CliTestSupport.against(dir, server);
        String url = server.url(JdbcDriver.MARIADB);

        assertUserError(cli.run("enqueue", "--url", url, "--type", "noop", "--payload", "{\"a\": 1,}"), 2,
                "--payload is not valid JSON", "line 1");
        assertUserError(cli.run("enqueue", "--url", url, "--type", "noop", "--payload", "@" + dir.resolve("missing.json")), 2,
                "cannot read the payload file");
        assertUserError(cli.run("work", "--url", url, "--concurency", "4"), 2, "Unknown options: '--concurency'", "Possible solutions: ", "--concurrency");
        assertUserError(cli.run("enqueue", "--url", url), 2, "Missing required option: '--type=<type>'");
        assertUserError(cli.run("enqueue", "--url", url, "--type", "noop", "--delay", "soon"), 2, "'soon' is not a duration");
        assertUserError(cli.run("enqueue", "--url", url, "--type", "noop", "--count", "0"), 2, "--count must be at least 1");
        assertUserError(cli.run("enqueue", "--url", url, "--type", "noop", "--count", "3", "--unique-key", "k"), 2,
                "--unique-key allows one live job per key");
        assertUserError(cli.run("stats", "--url", "postgres://app:hunter2@db/app"), 2,
                "--url must be a JDBC URL starting with jdbc:mariadb:// or jdbc:mysql://");
        assertThat(cli.run("stats", "--url", "postgres://app:hunter2@db/app").err()).doesNotContain("hunter2");
        assertUserError(cli.run("work", "--url", url, "--plugins", dir.resolve("nope").toString()), 2, "is not a directory");
        assertUserError(cli.run("work", "--url", url, "--notify", "pager"), 2, "unknown notifier 'pager'");
        assertUserError(cli.run("work", "--url", url, "--notify", "webhook"), 2, "the webhook notifier needs a URL");
        assertUserError(cli.run("failed", "retry", "--url", url), 2, "Missing required argument");
        assertUserError(cli.run("frobnicate"), 2, "Unmatched argument");
        assertUserError(cli.run("stats", "--url", url, "--password-file", dir.resolve("nope.txt").toString()), 2,
                "cannot read --password-file");
    }

    @Test
    void failuresTheUserCanFixExitOne() throws Exception {
        MariaDbServer server = MariaDbServer.shared();
        String url = server.url(JdbcDriver.MYSQL);
        Path wrong = dir.resolve("password");
        Files.writeString(wrong, "not-the-password\n");

        Cli.Result denied = new Cli(dir).env("STEADFAST_USER", server.user()).run("stats", "--url", url, "--password-file", wrong.toString());
        assertUserError(denied, 1, "access denied for user 'steadfast'", "STEADFAST_PASSWORD or --password-file");
        assertThat(denied.err()).doesNotContain("not-the-password");

        String nowhere = "jdbc:mariadb://127.0.0.1:" + PortAllocator.freePort() + "/steadfast";
        long started = System.nanoTime();
        Cli.Result unreachable = CliTestSupport.against(dir, server).run("stats", "--url", nowhere, "--connect-timeout", "3s");
        assertUserError(unreachable, 1, "cannot reach the database at jdbc:mariadb://127.0.0.1:", "within 3 s", "attempts");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("it retried until the timeout")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(2));

        Cli cli = CliTestSupport.against(dir, server);
        assertThat(cli.run("migrate", "--url", url).exitCode()).isZero();
        assertUserError(cli.run("failed", "show", "987654321", "--url", url), 1, "no failed job with id 987654321");
        assertUserError(cli.run("failed", "forget", "987654321", "--url", url), 1, "no failed job with id 987654321");
        assertUserError(cli.run("failed", "retry", "987654321", "--url", url), 1, "no failed job with id 987654321");

        String unknownDb = server.url(JdbcDriver.MARIADB).replace("/steadfast", "/no_such_db");
        assertUserError(cli.run("stats", "--url", unknownDb), 1, "does not exist");
    }

    @Test
    void helpAndVersionWork() {
        Cli cli = new Cli(dir);
        Cli.Result help = cli.run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("migrate", "enqueue", "work", "stats", "failed", "doctor", "demo", "Exit codes");
        for (String command : new String[] {"migrate", "enqueue", "work", "stats", "failed", "doctor", "demo"}) {
            Cli.Result sub = cli.run(command, "--help");
            assertThat(sub.exitCode()).as(command).isZero();
            assertThat(sub.out()).as(command).contains("Usage: steadfast " + command);
        }
        Cli.Result failedList = cli.run("failed", "list", "--help");
        assertThat(failedList.out()).contains("--json");
        Cli.Result version = cli.run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).contains("steadfast 0.1.0-SNAPSHOT");
    }
}
