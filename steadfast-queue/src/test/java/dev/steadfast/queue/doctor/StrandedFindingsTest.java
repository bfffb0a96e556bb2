package dev.steadfast.queue.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.queue.QueueFacts;
import dev.steadfast.queue.StrandedJobs;
import dev.steadfast.queue.StrandedReport;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The doctor's rules for stranded jobs: WARN, ERROR past the thresholds, and "no live worker" instead of a list. */
class StrandedFindingsTest {
    private static final QueueFacts DUE = new QueueFacts(0, 3, 42, 0, 0);
    private static final QueueFacts NONE_DUE = new QueueFacts(0, 0, 0, 0, 0);

    @Test
    void noLiveWorkerIsSaidOnceNotPerType() {
        List<Finding> findings = StrandedFindings.of(new StrandedReport(0, List.of()), DUE);
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARN);
            assertThat(f.observed()).startsWith("no live worker").contains("3 job(s) due, oldest waiting 42 s");
            assertThat(f.fix()).startsWith("start a worker");
        });
        assertThat(StrandedFindings.of(new StrandedReport(0, List.of()), NONE_DUE))
                .singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.OK));
    }

    @Test
    void aStrandedTypeIsAWarningThenAnErrorWhenOldOrMany() {
        StrandedJobs fresh = new StrandedJobs("mail", "sendmail-typo", 2, Duration.ofSeconds(30), true);
        StrandedJobs old = new StrandedJobs("mail", "sendmail-typo", 2, Duration.ofMinutes(11), true);
        StrandedJobs many = new StrandedJobs("mail", "sendmail-typo", 1001, Duration.ofSeconds(5), true);
        StrandedJobs unserved = new StrandedJobs("api", "noop", 1, Duration.ofSeconds(5), false);
        List<Finding> findings = StrandedFindings.of(new StrandedReport(2, List.of(fresh, old, many, unserved)), DUE);
        assertThat(findings)
                .extracting(Finding::severity)
                .containsExactly(Severity.WARN, Severity.ERROR, Severity.ERROR, Severity.WARN);
        assertThat(findings.get(0).observed())
                .isEqualTo(
                        "2 due job(s) of type sendmail-typo in queue mail, oldest waiting 30 s: no live worker handles sendmail-typo in mail");
        assertThat(findings.get(1).observed()).contains("oldest waiting 11 min");
        assertThat(findings.get(0).fix())
                .contains("with a handler for sendmail-typo, or check the type's spelling")
                .contains("steadfast cancel --queue mail --type sendmail-typo");
        assertThat(findings.get(3).observed()).endsWith("no live worker serves queue api");
        assertThat(findings.get(3).fix()).startsWith("start a worker that serves queue api, or check the queue's name");
        assertThat(StrandedFindings.of(new StrandedReport(2, List.of()), DUE))
                .singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.OK));
    }
}
