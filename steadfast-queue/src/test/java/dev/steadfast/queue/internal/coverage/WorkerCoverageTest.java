package dev.steadfast.queue.internal.coverage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.queue.internal.store.Workers.LiveWorker;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which jobs the live workers will start, from what their heartbeats say. */
class WorkerCoverageTest {
    @Test
    void aTypeIsHandledOnlyByAWorkerOfItsQueue() {
        WorkerCoverage coverage = new WorkerCoverage(List.of(
                new LiveWorker(List.of("mail"), List.of("sendmail")),
                new LiveWorker(List.of("reports"), List.of("pdf"))));
        assertThat(coverage.handles("mail", "sendmail")).isTrue();
        assertThat(coverage.handles("mail", "pdf"))
                .as("pdf is handled, but not in mail")
                .isFalse();
        assertThat(coverage.serves("reports")).isTrue();
        assertThat(coverage.serves("api")).isFalse();
        assertThat(coverage.hint("mail", "sendmail")).isEmpty();
        assertThat(coverage.hint("mail", "sendmial"))
                .hasValue(
                        "no live worker handles type sendmial in queue mail (they handle"
                                + " sendmail); the job waits until one does: check the type's spelling, or start a worker with a handler for sendmial");
        assertThat(coverage.hint("api", "sendmail"))
                .hasValue("no live worker serves queue api (live workers serve mail, reports);"
                        + " the job waits until one does: check the queue's name, or start a worker for it");
    }

    @Test
    void aWorkerThatDidNotSayHandlesEveryTypeAndNoWorkerMeansNoHint() {
        WorkerCoverage older = new WorkerCoverage(List.of(new LiveWorker(List.of("mail"), null)));
        assertThat(older.handles("mail", "anything"))
                .as("a worker of an older version: no false alarm")
                .isTrue();
        assertThat(older.handles("api", "anything")).isFalse();
        assertThat(new WorkerCoverage(List.of()).hint("mail", "sendmail"))
                .as("nothing to compare with")
                .isEmpty();
    }
}
