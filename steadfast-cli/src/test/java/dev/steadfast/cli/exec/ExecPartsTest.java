package dev.steadfast.cli.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadfast.cli.SteadfastCommand;
import dev.steadfast.queue.JobContext;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure parts of command handlers: the environment's allow-list, the bounded output, the spec, statuses. */
class ExecPartsTest {

    @Test
    void theEnvironmentIsAnAllowList() {
        Map<String, String> worker = Map.of(
                "PATH",
                "/usr/bin",
                "HOME",
                "/home/w",
                "STEADFAST_PASSWORD",
                "pw-1234",
                "STEADFAST_WEBHOOK_URL",
                "https://hooks/secret",
                "DB_TOKEN",
                "t-999",
                "APP_ENV",
                "prod");
        ChildEnvironment env = ChildEnvironment.of(worker, List.of("APP_ENV", "NOT_SET"));
        Map<String, String> job = env.forJob(new JobContext(7, "mail", "send", 2, 5, "w1", () -> false, () -> false));
        assertThat(job)
                .containsEntry("PATH", "/usr/bin")
                .containsEntry("HOME", "/home/w")
                .containsEntry("APP_ENV", "prod")
                .containsEntry("STEADFAST_JOB_ID", "7")
                .containsEntry("STEADFAST_JOB_ATTEMPT", "2")
                .containsEntry("STEADFAST_JOB_MAX_ATTEMPTS", "5")
                .containsEntry("STEADFAST_JOB_QUEUE", "mail")
                .containsEntry("STEADFAST_JOB_TYPE", "send")
                .doesNotContainKeys("STEADFAST_PASSWORD", "STEADFAST_WEBHOOK_URL", "DB_TOKEN", "NOT_SET");
        assertThatThrownBy(() -> ChildEnvironment.of(worker, List.of("steadfast_password")))
                .hasMessageContaining("never passed");
        assertThatThrownBy(() -> ChildEnvironment.of(worker, List.of("A=B")))
                .hasMessageContaining("takes a variable name");
    }

    /** The job's variables as the code sets them, each named in full wherever --exec is documented. */
    @Test
    void everyDocNamesTheJobVariablesInFull() throws Exception {
        List<String> names = ChildEnvironment.of(Map.of(), List.of())
                .forJob(new JobContext(7, "mail", "send", 2, 5, "w1", () -> false, () -> false))
                .keySet()
                .stream()
                .filter(name -> name.startsWith("STEADFAST_JOB_"))
                .toList();
        assertThat(names).hasSizeGreaterThanOrEqualTo(5);
        String workHelp = new picocli.CommandLine(new SteadfastCommand())
                .getSubcommands()
                .get("work")
                .getUsageMessage();
        Map<String, String> docs = Map.of(
                "work --help",
                workHelp,
                "README.md",
                Files.readString(Path.of("..", "README.md")),
                "examples/php/README.md",
                Files.readString(Path.of("..", "examples", "php", "README.md")),
                "docs/configuration.md",
                Files.readString(Path.of("..", "docs", "configuration.md")));
        docs.forEach(
                (doc, text) -> assertThat(text).as(doc).contains(names).doesNotContain("`_ATTEMPT`", " _ATTEMPT,"));
    }

    @Test
    void outputIsKeptToItsTail() throws Exception {
        byte[] lots = ("x".repeat(10_000) + "THE END").getBytes(StandardCharsets.UTF_8);
        OutputTail tail = OutputTail.reading(new ByteArrayInputStream(lots), 100, "test");
        tail.await(5_000);
        assertThat(tail.total()).isEqualTo(lots.length);
        assertThat(tail.text())
                .startsWith("[first 9907 bytes left out]\n")
                .endsWith("THE END")
                .hasSize(100 + "[first 9907 bytes left out]\n".length());
        OutputTail small =
                OutputTail.reading(new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8)), 100, "test");
        small.await(5_000);
        assertThat(small.text()).isEqualTo("hello");
    }

    @Test
    void specsAndStatuses() {
        ExecSpec spec = ExecSpec.parse("report=php \"/srv/my jobs/report.php\" --fast", null);
        assertThat(spec.type()).isEqualTo("report");
        assertThat(spec.command()).containsExactly("php", "/srv/my jobs/report.php", "--fast");
        assertThatThrownBy(() -> ExecSpec.parse("=php x", null)).hasMessageContaining("TYPE=COMMAND");
        assertThatThrownBy(() -> ExecSpec.parse("report=", null)).hasMessageContaining("--exec report: no command");
        assertThatThrownBy(() -> ExecSpec.parse("my report=php x", null))
                .hasMessage(
                        "--exec: a job type of 1 to 128 characters (letters, digits and . _ - /) is required, got 'my report'");
        assertThat(CommandProcesses.describe(3)).isEqualTo("exit status 3");
        assertThat(CommandProcesses.describe(137)).isEqualTo("killed by signal 9 (exit status 137)");
    }

    @Test
    void procStatLinesWhoseNamesHoldBlanksAndParentheses() {
        ProcFs.Stat stat = ProcFs.parseStat(
                "4242 (my (odd) name) S 1 4240 4239 0 -1 4194304 74 0 0 0 0 0 0 0 20 0 1 0 43491 3133440 393");
        assertThat(stat).isEqualTo(new ProcFs.Stat(4242, 'S', 1, 4240, 4239, 43491));
        assertThat(ProcFs.parseStat("7 (z) Z 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0")
                        .zombie())
                .isTrue();
        assertThat(ProcFs.stat(ProcessHandle.current().pid()))
                .get()
                .extracting(ProcFs.Stat::state)
                .isNotEqualTo('Z');
    }

    @Test
    void theSecretsOfTheWorkersEnvironmentAreNamedNeverShown() {
        Map<String, String> worker = new HashMap<>(Map.of(
                "STEADFAST_PASSWORD",
                "pw-1234",
                "STEADFAST_UI_TOKEN",
                "tok-123456789",
                "STEADFAST_WEBHOOK_URL",
                "https://hooks/secret",
                "STEADFAST_PASSWORD_FILE",
                "/etc/steadfast/db-password",
                "STEADFAST_USER",
                "app",
                "STEADFAST_URL",
                "jdbc:mariadb://db:3306/app?password=hunter22",
                "PATH",
                "/usr/bin",
                "STEADFAST_JOB_ID",
                "7"));
        worker.put("STEADFAST_ENCRYPTION_KEY", "k-1234");
        worker.put("STEADFAST_TOKEN_FILE", "/run/t");
        assertThat(SecretExposure.secretVariables(worker))
                .containsExactly(
                        "STEADFAST_ENCRYPTION_KEY",
                        "STEADFAST_PASSWORD",
                        "STEADFAST_UI_TOKEN",
                        "STEADFAST_URL",
                        "STEADFAST_WEBHOOK_URL");
        assertThat(SecretExposure.secretVariables(
                        Map.of("STEADFAST_URL", "jdbc:mariadb://db:3306/app", "STEADFAST_PASSWORD", "")))
                .isEmpty();
    }

    @Test
    void usersAsTheSystemKnowsThem() {
        assertThat(ExecUser.parse("nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"))
                .isEqualTo(new ExecUser("nobody", 65534, 65534, "/nonexistent"));
        assertThatThrownBy(() -> ExecUser.lookUp("bad user")).hasMessageContaining("--exec-user takes a user name");
        assertThatThrownBy(() -> ExecUser.lookUp("no-such-user-sf"))
                .hasMessageContaining("--exec-user no-such-user-sf: no such user");
        assertThat(CommandLauncher.find("sh", "/nowhere:/usr/bin")).isPresent();
        assertThat(CommandLauncher.find("no-such-program-sf", "/usr/bin")).isEmpty();
        assertThat(CommandLauncher.find("/no/such/path", "/usr/bin")).isEmpty();
    }
}
