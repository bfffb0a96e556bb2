package dev.steadfast.cli.exec;

import dev.steadfast.queue.JobContext;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pure parts of command handlers: the environment's allow-list, the bounded output, the spec, statuses. */
class ExecPartsTest {

    @Test
    void theEnvironmentIsAnAllowList() {
        Map<String, String> worker = Map.of("PATH", "/usr/bin", "HOME", "/home/w", "STEADFAST_PASSWORD", "pw-1234",
                "STEADFAST_WEBHOOK_URL", "https://hooks/secret", "DB_TOKEN", "t-999", "APP_ENV", "prod");
        ChildEnvironment env = ChildEnvironment.of(worker, List.of("APP_ENV", "NOT_SET"));
        Map<String, String> job = env.forJob(new JobContext(7, "mail", "send", 2, 5, "w1", () -> false, () -> false));
        assertThat(job).containsEntry("PATH", "/usr/bin").containsEntry("HOME", "/home/w").containsEntry("APP_ENV", "prod")
                .containsEntry("STEADFAST_JOB_ID", "7").containsEntry("STEADFAST_JOB_ATTEMPT", "2")
                .containsEntry("STEADFAST_JOB_MAX_ATTEMPTS", "5").containsEntry("STEADFAST_JOB_QUEUE", "mail")
                .containsEntry("STEADFAST_JOB_TYPE", "send")
                .doesNotContainKeys("STEADFAST_PASSWORD", "STEADFAST_WEBHOOK_URL", "DB_TOKEN", "NOT_SET");
        assertThatThrownBy(() -> ChildEnvironment.of(worker, List.of("steadfast_password"))).hasMessageContaining("never passed");
        assertThatThrownBy(() -> ChildEnvironment.of(worker, List.of("A=B"))).hasMessageContaining("takes a variable name");
    }

    @Test
    void outputIsKeptToItsTail() throws Exception {
        byte[] lots = ("x".repeat(10_000) + "THE END").getBytes(StandardCharsets.UTF_8);
        OutputTail tail = OutputTail.reading(new ByteArrayInputStream(lots), 100, "test");
        tail.await(5_000);
        assertThat(tail.total()).isEqualTo(lots.length);
        assertThat(tail.text()).startsWith("[first 9907 bytes left out]\n").endsWith("THE END").hasSize(100 + "[first 9907 bytes left out]\n".length());
        OutputTail small = OutputTail.reading(new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8)), 100, "test");
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
        assertThat(ProcessTrees.describe(3)).isEqualTo("exit status 3");
        assertThat(ProcessTrees.describe(137)).isEqualTo("killed by signal 9 (exit status 137)");
    }
}
