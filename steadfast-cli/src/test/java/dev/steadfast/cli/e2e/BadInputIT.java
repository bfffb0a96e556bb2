package dev.steadfast.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.embedded.PortAllocator;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every user mistake: one clear line, the contract's exit code, no stack trace, nothing written. */
class BadInputIT {
    @TempDir
    Path dir;

    /** A user error of exactly one line on stderr. */
    private static Cli.Result assertOneLine(Cli.Result result, String fragment) {
        assertUserError(result, 2, fragment);
        assertThat(result.err().lines()).as(result.toString()).hasSize(1);
        return result;
    }

    private static void assertUserError(Cli.Result result, int exitCode, String... fragments) {
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(exitCode);
        assertThat(result.err()).as(result.toString()).contains(fragments);
        assertThat(CliTestSupport.hasStackTrace(result.err()))
                .as(result.toString())
                .isFalse();
        assertThat(result.out()).as("nothing on stdout for a failed command").isEmpty();
    }

    @Test
    void usageErrorsExitTwo() throws Exception {
        MariaDbServer server = MariaDbServer.shared();
        Cli cli = CliTestSupport.against(dir, server);
        String url = server.url(JdbcDriver.MARIADB);

        assertUserError(
                cli.run("enqueue", "--url", url, "--type", "noop", "--payload", "{\"a\": 1,}"),
                2,
                "--payload is not valid JSON",
                "line 1");
        assertOneLine(
                cli.run("enqueue", "--url", url, "--type", "noop", "--payload", "@" + dir.resolve("missing.json")),
                "cannot read the payload file " + dir.resolve("missing.json") + ": no such file");
        assertThat(assertOneLine(
                                cli.run("work", "--url", url, "--concurency", "4"),
                                "unknown option '--concurency' for 'steadfast work'" + " (did you mean")
                        .err())
                .contains("--concurrency?); see 'steadfast work --help'");
        assertOneLine(
                cli.run("enqueue", "--url", url),
                "'steadfast enqueue' needs --type TYPE; see 'steadfast enqueue --help'");
        assertUserError(
                cli.run("enqueue", "--url", url, "--type", "noop", "--delay", "soon"), 2, "'soon' is not a duration");
        assertUserError(
                cli.run("enqueue", "--url", url, "--type", "noop", "--count", "0"), 2, "--count must be at least 1");
        assertUserError(
                cli.run("enqueue", "--url", url, "--type", "noop", "--concurrency-key", "k"),
                2,
                "--concurrency-key and --concurrency-limit go together");
        assertUserError(
                cli.run(
                        "enqueue",
                        "--url",
                        url,
                        "--type",
                        "noop",
                        "--concurrency-key",
                        "k",
                        "--concurrency-limit",
                        "0"),
                2,
                "a concurrency limit of at least 1 is required");
        assertUserError(
                cli.run("enqueue", "--url", url, "--type", "noop", "--timeout", "0s"),
                2,
                "a timeout must be positive, got 0 ms");
        assertUserError(
                cli.run("schedule", "add", "s", "--cron", "* * *", "--type", "noop", "--url", url),
                2,
                "a cron expression has 5 fields");
        assertUserError(
                cli.run(
                        "schedule",
                        "add",
                        "s",
                        "--every",
                        "5m",
                        "--type",
                        "noop",
                        "--missed",
                        "sometimes",
                        "--url",
                        url),
                2,
                "--missed: missed ticks are skip, once or all");
        assertThat(cli.run("migrate", "--url", url).exitCode()).isZero();
        // a queue never seen can be paused or limited before its first job (issue 27): QueueCommandsIT
        assertUserError(
                cli.run("queue", "limit", "default", "--rate", "-1/1s", "--url", url),
                2,
                "'-1/1s' is not a rate (N/DURATION");
        assertUserError(
                cli.run("queue", "limit", "default", "--rate", "0/1s", "--url", url),
                2,
                "a rate limit allows 1 to 100000 jobs per span, got 0");
        assertUserError(
                cli.run("queue", "limit", "default", "--rate", "5/soon", "--url", url), 2, "'soon' is not a duration");
        assertOneLine(
                cli.run("queue", "limit", "default", "--url", url),
                "'steadfast queue limit' needs --rate N/DURATION or --off");
        assertUserError(
                cli.run("queue", "limit", "default", "--rate", "5/1s", "--off", "--url", url), 2, "mutually exclusive");
        assertUserError(cli.run("cancel", "424242424242", "--url", url), 1, "no job 424242424242");
        assertUserError(
                cli.run("schedule", "remove", "never-added", "--url", url), 1, "no schedule named 'never-added'");
        assertUserError(
                cli.run("enqueue", "--url", url, "--type", "noop", "--count", "3", "--unique-key", "k"),
                2,
                "--unique-key allows one live job per key");
        assertUserError(
                cli.run("stats", "--url", "postgres://app:hunter2@db/app"),
                2,
                "--url must be a JDBC URL starting with jdbc:mariadb:// or jdbc:mysql://");
        assertThat(cli.run("stats", "--url", "postgres://app:hunter2@db/app").err())
                .doesNotContain("hunter2");
        assertUserError(
                cli.run("work", "--url", url, "--plugins", dir.resolve("nope").toString()), 2, "is not a directory");
        assertUserError(cli.run("work", "--url", url, "--notify", "pager"), 2, "unknown notifier 'pager'");
        assertUserError(cli.run("work", "--url", url, "--pool-size", "1"), 2, "--pool-size must be at least 2");
        // the worker's own rules (WorkerSettings), in the options' names
        assertOneLine(cli.run("work", "--url", url, "--concurrency", "0"), "--concurrency must be at least 1, got 0");
        assertOneLine(
                cli.run("work", "--url", url, "--lease", "500ms"),
                "--lease must be at least 1s (it is renewed at a third of it), got 500ms");
        assertOneLine(
                cli.run("work", "--url", url, "--retention", "0"),
                "--retention must be longer than 0 (e.g. 24h), got 0ms");
        assertOneLine(
                cli.run("work", "--url", url, "--max-result-size", "0"),
                "--max-result-size must be from 1 byte to 16 MiB (16777215 bytes), was 0");
        assertOneLine(
                cli.run("work", "--url", url, "--max-result-size", "17MB"),
                "--max-result-size must be from 1 byte to 16 MiB (16777215 bytes), was 17825792");
        assertUserError(cli.run("work", "--url", url, "--max-result-size", "lots"), 2, "'lots' is not a size");
        assertUserError(cli.run("work", "--url", url, "--notify", "webhook"), 2, "the webhook notifier needs a URL");
        assertUserError(
                cli.run("failed", "retry", "--url", url),
                2,
                "name the failed jobs to retry: job ids, or --all, or filters");
        assertUserError(
                cli.run("failed", "forget", "12", "--all", "--url", url), 2, "give job ids or --all/filters, not both");
        assertUserError(
                cli.run("work", "--url", url, "--queue", "mail:0,default"),
                2,
                "a queue weight is a whole number from 1 to 1000");
        assertUserError(cli.run("work", "--url", url, "--queue", "mail,mail"), 2, "--queue names mail twice");
        assertUserError(cli.run("work", "--url", url, "--exec", "php /srv/report.php"), 2, "--exec takes TYPE=COMMAND");
        assertUserError(
                cli.run("work", "--url", url, "--exec", "report=php 'report.php"),
                2,
                "--exec report: unclosed single quote");
        assertUserError(
                cli.run("work", "--url", url, "--exec", "noop=true"),
                2,
                "--exec noop: the job type 'noop' has a handler already");
        assertUserError(
                cli.run("work", "--url", url, "--exec", "report=true", "--exec-env", "STEADFAST_PASSWORD"),
                2,
                "never passed to job commands");
        assertUserError(
                cli.run("stats", "--log-level", "loud", "--url", url),
                2,
                "--log-level must be one of trace, debug, info");
        assertUserError(cli.run("jobs", "list", "--state", "done", "--url", url), 2, "--state: unknown state 'done'");
        assertOneLine(cli.run("jobs", "purge", "--url", url), "'steadfast jobs purge' needs --state STATE");
        assertThat(assertOneLine(cli.run("frobnicate"), "steadfast: unknown command 'frobnicate' for 'steadfast'")
                        .err())
                .contains("see 'steadfast --help'");
        // picocli's own phrasing never reaches the user: one line saying what is wrong and where to look
        assertOneLine(cli.run("cancel", "abc", "--url", url), "'abc' is not a job id: ids are positive whole numbers");
        assertOneLine(cli.run("cancel", "-5", "--url", url), "'-5' is not a job id: ids are positive whole numbers");
        assertOneLine(
                cli.run("jobs", "show", "abc", "--url", url),
                "steadfast: 'abc' is not a job id: ids are positive whole numbers");
        assertOneLine(
                cli.run("jobs", "show", "1", "2", "--url", url),
                "'steadfast jobs show' takes one job id, and '2' is another");
        assertOneLine(
                cli.run("help", "bogus"), "steadfast: unknown command 'bogus': 'steadfast help' takes one of migrate,");
        assertOneLine(
                cli.run("enqueue", "--typo", "noop", "--url", url),
                "steadfast: unknown option '--typo' for 'steadfast enqueue'" + " (did you mean --type?)");
        assertOneLine(cli.run("jobs", "show", "--url", url), "'steadfast jobs show' needs ID (job id)");
        assertOneLine(
                cli.run("stats", "extra", "--url", url),
                "unexpected argument 'extra': 'steadfast stats' takes no more");
        assertOneLine(cli.run("failed", "list", "--limit", "x", "--url", url), "--limit: 'x' is not a whole number");
        assertOneLine(
                CliTestSupport.against(dir, server)
                        .env("STEADFAST_HTTP_PORT", "abc")
                        .run("work", "--url", url),
                "steadfast: STEADFAST_HTTP_PORT (for --http-port): 'abc' is not a whole number; see 'steadfast work --help'");
        Cli.Result leading = cli.run("--connect-timeout", "20s", "--url", url, "stats", "--json");
        assertThat(leading.exitCode())
                .as("connection options before the command: " + leading)
                .isZero();
        assertThat(cli.run("--url=" + url, "failed", "list").exitCode()).isZero();
        assertUserError(
                cli.run(
                        "stats",
                        "--url",
                        url,
                        "--password-file",
                        dir.resolve("nope.txt").toString()),
                2,
                "cannot read --password-file");

        // names of queues, types and schedules: one rule, one line naming it, the bad name shown with its controls
        // visible
        String rule = "(letters, digits and . _ - /) is required, got ";
        for (Cli.Result badName : List.of(
                assertOneLine(
                        cli.run("enqueue", "--url", url, "--type", "x\ny"),
                        "a job type of 1 to 128 characters " + rule + "'x\\ny'"),
                assertOneLine(
                        cli.run("enqueue", "--url", url, "--type", "noop", "--queue", "mail,default"),
                        "a queue name of 1 to 64"),
                assertOneLine(
                        cli.run("enqueue", "--url", url, "--type", "noop", "--queue", "a b"),
                        "a queue name of 1 to 64"),
                assertOneLine(
                        cli.run("schedule", "add", "nightly:report", "--every", "5m", "--type", "noop", "--url", url),
                        "a schedule name of 1 to 128 characters " + rule + "'nightly:report'"),
                assertOneLine(
                        cli.run("schedule", "add", "s", "--every", "5m", "--type", "x\u001b[2Jy", "--url", url),
                        "got 'x\\u001b[2Jy'"),
                assertOneLine(
                        cli.run("queue", "pause", "a\tb", "--url", url),
                        "a queue name of 1 to 64 characters " + rule + "'a\\tb'"),
                assertOneLine(
                        cli.run("queue", "limit", "a b", "--rate", "5/1s", "--url", url), "a queue name of 1 to 64"),
                assertOneLine(
                        cli.run("work", "--url", url, "--queue", "mail:3,a b:1"), "--queue: a queue name of 1 to 64"),
                assertOneLine(cli.run("work", "--url", url, "--exec", "a b=true"), "a job type of 1 to 128"))) {
            assertThat(badName.exitCode()).as(badName.toString()).isEqualTo(2);
        }
        assertThat(server.queryLong("SELECT COUNT(*) FROM sf_job WHERE type = CONCAT('x', CHAR(10), 'y')"
                                + " OR queue IN ('mail,default', 'a b')")
                        + server.queryLong("SELECT COUNT(*) FROM sf_schedule WHERE name IN ('nightly:report', 's')")
                        + server.queryLong(
                                "SELECT COUNT(*) FROM sf_queue WHERE name IN (CONCAT('a', CHAR(9), 'b'), 'a b')"))
                .as("nothing written")
                .isZero();

        // times the database cannot hold: one line, exit 2 (an overflow and the server's datetime error before)
        assertUserError(
                cli.run("enqueue", "--url", url, "--type", "noop", "--delay", "999999999d"),
                2,
                "a delay of at most 3650 days is allowed, got 999999999 days");
        assertUserError(
                cli.run("enqueue", "--url", url, "--type", "noop", "--delay", "3651d"),
                2,
                "a delay of at most 3650 days");
        assertUserError(
                cli.run("enqueue", "--url", url, "--type", "noop", "--delay", "99999999999999999999d"),
                2,
                "is too long a duration");
        assertUserError(
                cli.run("schedule", "add", "rare", "--every", "999999999d", "--type", "noop", "--url", url),
                2,
                "an interval of 1 s to 3650 days is required");

        // secrets on the command line show in ps: refused, with the alternative named
        Cli.Result inUrl = cli.run("stats", "--url", url + "?password=cmdline-secret-1");
        assertUserError(inUrl, 2, "--url carries a password", "STEADFAST_PASSWORD or --password-file", "STEADFAST_URL");
        assertThat(inUrl.err()).doesNotContain("cmdline-secret-1");
        Cli.Result inUserInfo =
                cli.run("stats", "--url", url.replace("jdbc:mariadb://", "jdbc:mariadb://app:cmdline-secret-2@"));
        assertUserError(inUserInfo, 2, "--url carries a password");
        assertThat(inUserInfo.err()).doesNotContain("cmdline-secret-2");

        // Connector/J's other spellings of a password: a multi-factor password1=, a key-value host's password=
        Cli.Result inMfa = cli.run("stats", "--url", url + "?password1=cmdline-secret-3");
        assertUserError(inMfa, 2, "--url carries a password");
        assertThat(inMfa.err()).doesNotContain("cmdline-secret-3");
        Cli.Result inHost = cli.run(
                "stats",
                "--url",
                "jdbc:mysql://address=(host=127.0.0.1)(port=" + server.port() + ")(password=cmdline-secret-4)/test");
        assertUserError(inHost, 2, "--url carries a password");
        assertThat(inHost.err()).doesNotContain("cmdline-secret-4");

        // a webhook URL on the command line is accepted (it was documented) but warned about, and never echoed
        Cli.Result warned = cli.run(
                "work",
                "--url",
                url,
                "--migrate",
                "--queue",
                "warned",
                "--notify",
                "log",
                "--webhook-url",
                "https://hooks.example/services/secret-hook-path-77",
                "--stop-when-empty");
        assertThat(warned.exitCode()).as(warned.toString()).isZero();
        assertThat(warned.err())
                .contains("--webhook-url shows the webhook's credential in 'ps'", "STEADFAST_WEBHOOK_URL")
                .doesNotContain("secret-hook-path-77");

        // payloads over the limit: refused before anything is read or written, without a stack trace
        Path big = dir.resolve("big.json");
        Files.writeString(big, "{\"blob\": \"" + "x".repeat(300_000) + "\"}");
        assertUserError(
                cli.run("enqueue", "--url", url, "--type", "noop", "--payload", "@" + big, "--max-payload", "256KB"),
                2,
                "more than --max-payload 262144 bytes",
                "raise --max-payload");
        assertUserError(
                cli.run(
                        "enqueue",
                        "--url",
                        url,
                        "--type",
                        "noop",
                        "--payload",
                        "{\"s\": \"" + "\u00e9".repeat(200) + "\"}",
                        "--max-payload",
                        "300"),
                2,
                "more than --max-payload 300 bytes");
        assertUserError(
                cli.run("enqueue", "--url", url, "--type", "noop", "--max-payload", "lots"), 2, "'lots' is not a size");
        // a string past Jackson's own limit (20 MB) once ended in a NullPointerException
        Path huge = dir.resolve("huge.json");
        Files.writeString(huge, "{\"blob\": \"" + "y".repeat(21_000_000) + "\"}");
        assertUserError(
                cli.run("enqueue", "--url", url, "--type", "noop", "--payload", "@" + huge, "--max-payload", "64MB"),
                2,
                "--payload is not valid JSON");
    }

    @Test
    void failuresTheUserCanFixExitOne() throws Exception {
        MariaDbServer server = MariaDbServer.shared();
        String url = server.url(JdbcDriver.MYSQL);
        Path wrong = dir.resolve("password");
        Files.writeString(wrong, "not-the-password\n");

        Cli.Result denied = new Cli(dir)
                .env("STEADFAST_USER", server.user())
                .run("stats", "--url", url, "--password-file", wrong.toString());
        assertUserError(denied, 1, "access denied for user 'steadfast'", "STEADFAST_PASSWORD or --password-file");
        assertThat(denied.err()).doesNotContain("not-the-password");
        Cli.Result debug = new Cli(dir)
                .env("STEADFAST_USER", server.user())
                .run("stats", "--url", url, "--password-file", wrong.toString(), "--debug");
        assertThat(debug.err())
                .as("--debug shows the stack trace, redacted")
                .contains("\tat ")
                .doesNotContain("not-the-password");

        // a password in STEADFAST_URL is not on the command line: accepted, and never echoed
        Cli.Result fromEnv = new Cli(dir)
                .env(
                        "STEADFAST_URL",
                        "jdbc:mysql://127.0.0.1:" + PortAllocator.freePort() + "/steadfast?user=app&password="
                                + server.password())
                .run("stats", "--connect-timeout", "1s");
        assertThat(fromEnv.exitCode()).as(fromEnv.toString()).isEqualTo(1);
        assertThat(fromEnv.err()).contains("cannot reach the database").doesNotContain(server.password());

        String nowhere = "jdbc:mariadb://127.0.0.1:" + PortAllocator.freePort() + "/steadfast";
        long started = System.nanoTime();
        Cli.Result unreachable =
                CliTestSupport.against(dir, server).run("stats", "--url", nowhere, "--connect-timeout", "3s");
        assertUserError(
                unreachable,
                1,
                "cannot reach the database at jdbc:mariadb://127.0.0.1:",
                "within 3 s",
                "Is the server running?");
        assertThat(unreachable.err())
                .as("a refused connection is not reported as a lost one")
                .doesNotContain("connection lost while reading");
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("it retried until the timeout")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(2));

        Cli cli = CliTestSupport.against(dir, server);
        assertThat(cli.run("migrate", "--url", url).exitCode()).isZero();
        assertUserError(cli.run("failed", "show", "987654321", "--url", url), 1, "no job 987654321");
        assertUserError(cli.run("failed", "forget", "987654321", "--url", url), 1, "no job 987654321");
        assertUserError(cli.run("failed", "retry", "987654321", "--url", url), 1, "no job 987654321");

        String unknownDb = server.url(JdbcDriver.MARIADB).replace("/steadfast", "/no_such_db");
        assertUserError(cli.run("stats", "--url", unknownDb), 1, "does not exist");

        // a taken port: which flag picks another, not Jetty's "IOException: Failed to bind"
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            String port = Integer.toString(taken.getLocalPort());
            Cli.Result serve = cli.run("serve", "--url", url, "--port", port);
            assertUserError(
                    serve,
                    1,
                    "steadfast: port " + port + " on 127.0.0.1 is in use (or not allowed): pick another with --port");
            Cli.Result work = cli.run("work", "--url", url, "--http-port", port, "--max-time", "30s");
            assertUserError(
                    work,
                    1,
                    "steadfast: port " + port
                            + " on 127.0.0.1 is in use (or not allowed): pick another with --http-port");
            assertThat(serve.err() + work.err()).doesNotContain("IOException").doesNotContain("Failed to bind");
        }
    }

    @Test
    void helpAndVersionWork() {
        Cli cli = new Cli(dir);
        Cli.Result help = cli.run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out())
                .contains("migrate", "enqueue", "work", "stats", "failed", "doctor", "demo", "Exit codes");
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

    /**
     * A database user without write rights (issue of the new-user trial): the worker is refused at start, and every
     * command that writes says in one line who may not do what and the GRANT to run; no Java class name, no
     * {@code (conn=N)}, no note before the failure.
     */
    @Test
    void aUserWithoutWriteRightsGetsOneLineWithTheGrant() throws Exception {
        MariaDbServer server = MariaDbServer.shared();
        Cli admin = CliTestSupport.against(dir, server);
        String url = server.url(JdbcDriver.MARIADB);
        String schema = url.replaceAll(".*/([^/?]+)(\\?.*)?$", "$1");
        String suffix = Long.toHexString(System.nanoTime());
        String user = "ro_" + suffix;
        String fresh = "fresh_" + suffix;
        String queue = "rq_" + suffix;
        String account = "'" + user + "'@'%'";
        assertThat(admin.run("migrate", "--url", url).exitCode()).isZero();
        Cli.Result enqueued = admin.run("enqueue", "--url", url, "--type", "noop", "--queue", queue);
        assertThat(enqueued.exitCode()).as(enqueued.toString()).isZero();
        long id = Long.parseLong(enqueued.out().replaceAll("(?s).*?(\\d+).*", "$1"));
        server.execute(
                "CREATE DATABASE " + fresh,
                "CREATE USER " + account + " IDENTIFIED BY 'ro-pw-0123456789'",
                "GRANT SELECT ON `" + schema + "`.* TO " + account,
                "GRANT SELECT ON `" + fresh + "`.* TO " + account);
        try {
            Cli ro = new Cli(dir).env("STEADFAST_USER", user).env("STEADFAST_PASSWORD", "ro-pw-0123456789");
            String grant = "GRANT SELECT, INSERT, UPDATE, DELETE ON `" + schema + "`.* TO " + account;
            // a refusal names the account as the server saw the connection ('ro'@'127.0.0.1'); the worker asks
            // CURRENT_USER()
            String seen = "'" + user + "'@'";
            String grantSeen = "GRANT SELECT, INSERT, UPDATE, DELETE ON `" + schema + "`.* TO " + seen;

            Cli.Result work =
                    ro.run(Duration.ofMinutes(1), "work", "--url", url, "--queue", queue, "--stop-when-empty");
            assertDenied(
                    work,
                    "steadfast: database user " + account + " cannot write the queue's tables (",
                    "command denied",
                    "a worker needs SELECT, INSERT, UPDATE, DELETE on the sf_ tables; run " + grant);
            assertThat(work.err()).as(work.toString()).doesNotContain("started").doesNotContain("Claimer");
            assertThat(server.queryLong(
                            "SELECT COUNT(*) FROM sf_job WHERE id = " + id + " AND state = 'pending' AND attempts = 0"))
                    .as("the job is untouched")
                    .isEqualTo(1);

            assertDenied(
                    ro.run("enqueue", "--url", url, "--type", "noop", "--queue", queue),
                    "steadfast: database user " + seen,
                    " may not write the queue's tables (INSERT",
                    grantSeen);
            assertDenied(
                    ro.run("cancel", String.valueOf(id), "--url", url),
                    "steadfast: database user " + seen,
                    " may not write the queue's tables (",
                    grantSeen);
            Cli.Result pause = ro.run("queue", "pause", "zz_" + suffix, "--url", url);
            assertDenied(pause, "steadfast: database user " + seen, " may not write the queue's tables (", grantSeen);
            assertThat(pause.err()).as("no note before a failure").doesNotContain("note:");

            String freshUrl = url.replaceFirst("/" + schema + "(\\?|$)", "/" + fresh + "$1");
            Cli.Result migrate = ro.run("migrate", "--url", freshUrl);
            assertDenied(
                    migrate,
                    "steadfast: database user " + seen,
                    " may not create or change tables (CREATE command denied",
                    "run 'steadfast migrate' as a user who may, or run GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX,"
                            + " DROP, REFERENCES ON `" + fresh + "`.* TO " + seen);
            assertThat(migrate.err()).doesNotContain("cannot open");

            String noDatabase = url.replaceFirst("/" + schema + "(\\?|$)", "/nodb_" + suffix + "$1");
            assertDenied(
                    ro.run("stats", "--url", noDatabase),
                    "steadfast: database user " + seen,
                    " may not use database 'nodb_"
                            + suffix
                            + "' (or it does not exist): check the database in --url, or run GRANT SELECT, INSERT, UPDATE,"
                            + " DELETE ON `nodb_" + suffix + "`.* TO " + seen);

            Cli.Result doctor = ro.run("doctor", "--url", url);
            assertThat(doctor.exitCode()).as(doctor.toString()).isEqualTo(1);
            assertThat(doctor.out())
                    .as(doctor.toString())
                    .containsPattern("ERROR\\s+write privileges\\s+user " + account)
                    .contains("fix: " + grant);
            Cli.Result adminDoctor = admin.run("doctor", "--url", url);
            assertThat(adminDoctor.out()).as(adminDoctor.toString()).containsPattern("OK\\s+write privileges");
        } finally {
            server.execute("DROP USER IF EXISTS " + account, "DROP DATABASE IF EXISTS " + fresh);
        }
    }

    /** A refusal for a missing privilege: exit 1, one line, in our words. */
    private static void assertDenied(Cli.Result result, String... fragments) {
        assertUserError(result, 1, fragments);
        List<String> lines =
                result.err().lines().filter(l -> l.startsWith("steadfast:")).toList();
        assertThat(lines).as(result.toString()).hasSize(1);
        assertThat(result.err())
                .as(result.toString())
                .doesNotContain("conn=")
                .doesNotContain("SQLSyntaxErrorException")
                .doesNotContain("--debug");
    }
}
