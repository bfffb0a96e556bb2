package dev.steadfast.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, run as a user runs it. */
class DemoIT {
    @TempDir
    Path dir;

    @Test
    void demoReplaysTheIncidentAndReportsNothingLostNothingSurfaced() {
        Cli.Result result = new Cli(dir).run("demo", "--home", CliTestSupport.EMBEDDED_HOME.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out())
                .contains("wait_timeout=3")
                .contains("KILL CONNECTION")
                .contains("SIGKILLed and restarted")
                .containsPattern("jobs enqueued\\s+75")
                .containsPattern("succeeded\\s+70")
                .containsPattern("failed as designed\\s+5")
                .containsPattern("lost\\s+0")
                .containsPattern("ledger rows\\s+60")
                .containsPattern("errors surfaced to jobs\\s+0")
                .contains("OK: nothing lost");
        assertThat(result.err())
                .as("the worker's stop line counts jobs, not attempts (retries are not more jobs)")
                .contains("stopped after 75 jobs (70 succeeded, 5 failed for good)");
        // the faults really happened and were healed
        assertThat(result.out()).containsPattern("connection losses in flight\\s+[1-9]");
        assertThat(result.out()).containsPattern("units of work given up\\s+0");
    }
}
