package dev.steadfast.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The worker's one set of defaults and rules: the texts the command line and Spring read say the same as the values. */
class WorkerSettingsTest {

    @Test
    void theDefaultsAsTextSayTheDefaults() {
        WorkerSettings defaults = WorkerSettings.defaults();
        assertThat(defaults.queues()).containsExactly(WorkerSettings.DEFAULT_QUEUE);
        assertThat(Integer.parseInt(WorkerSettings.DEFAULT_CONCURRENCY_TEXT))
                .isEqualTo(defaults.concurrency())
                .isEqualTo(4);
        assertThat(WorkerSettings.DEFAULT_LEASE_TEXT).isEqualTo("30s");
        assertThat(WorkerSettings.DEFAULT_SHUTDOWN_GRACE_TEXT).isEqualTo("30s");
        assertThat(WorkerSettings.DEFAULT_POLL_MIN_TEXT).isEqualTo("50ms");
        assertThat(WorkerSettings.DEFAULT_POLL_MAX_TEXT).isEqualTo("150ms");
        assertThat(WorkerSettings.DEFAULT_RETENTION_TEXT).isEqualTo("24h");
        assertThat(WorkerSettings.DEFAULT_FAILED_RETENTION_TEXT).isEqualTo("30d");
        assertThat(Long.parseLong(WorkerSettings.DEFAULT_FAILED_KEPT_TEXT)).isEqualTo(defaults.failedKept());
        assertThat(defaults.lease()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.pollMin()).isEqualTo(Duration.ofMillis(50));
        assertThat(defaults.retention()).isEqualTo(Duration.ofHours(24));
        assertThat(defaults.failedRetention()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void badValuesAreRefusedInTheCallersWords() {
        assertThatThrownBy(() -> WorkerSettings.checkConcurrency("--concurrency", 0))
                .hasMessage("--concurrency must be at least 1, got 0");
        assertThatThrownBy(() -> WorkerSettings.checkConcurrency("concurrency", -1))
                .hasMessage("concurrency must be at least 1, got -1");
        assertThat(WorkerSettings.checkConcurrency("concurrency", 2000)).isEqualTo(2000); // no upper bound, as before
        assertThatThrownBy(() -> WorkerSettings.checkLease("--lease", Duration.ofMillis(500)))
                .hasMessage("--lease must be at least 1s (it is renewed at a third of it), got 500ms");
        assertThatThrownBy(() ->
                        WorkerSettings.checkPollInterval("poll-min", Duration.ZERO, "poll-max", Duration.ofSeconds(1)))
                .hasMessage("poll-min must be longer than 0, got 0ms");
        assertThatThrownBy(() -> WorkerSettings.checkPollInterval(
                        "poll-min", Duration.ofSeconds(1), "poll-max", Duration.ofMillis(100)))
                .hasMessage("poll-max (100ms) must not be shorter than poll-min (1000ms)");
        assertThatThrownBy(() -> WorkerSettings.checkRetention("--retention", Duration.ZERO))
                .hasMessage("--retention must be longer than 0 (e.g. 24h), got 0ms");
        assertThatThrownBy(() -> WorkerSettings.checkNotNegative("--failed-keep", -1))
                .hasMessage("--failed-keep must not be negative, got -1");
        assertThatThrownBy(() -> WorkerSettings.checkNotNegative("shutdown grace", Duration.ofSeconds(-1)))
                .hasMessage("shutdown grace must not be negative, got -1000ms");
    }

    @Test
    void theRecordChecksEveryValue() {
        WorkerSettings d = WorkerSettings.defaults();
        assertThatThrownBy(() -> new WorkerSettings(
                        List.of(),
                        d.concurrency(),
                        d.batchSize(),
                        d.pollMin(),
                        d.pollMax(),
                        d.lease(),
                        d.shutdownGrace(),
                        d.retention(),
                        d.failedRetention(),
                        d.failedKept(),
                        0,
                        Duration.ZERO,
                        0))
                .hasMessage("a worker needs at least one queue");
        assertThatThrownBy(() -> new WorkerSettings(
                        List.of("bad queue"),
                        d.concurrency(),
                        d.batchSize(),
                        d.pollMin(),
                        d.pollMax(),
                        d.lease(),
                        d.shutdownGrace(),
                        d.retention(),
                        d.failedRetention(),
                        d.failedKept(),
                        0,
                        Duration.ZERO,
                        0))
                .hasMessageStartingWith("a queue name of 1 to 64 characters");
        assertThatThrownBy(() -> new WorkerSettings(
                        d.queues(),
                        d.concurrency(),
                        d.batchSize(),
                        d.pollMin(),
                        d.pollMax(),
                        Duration.ofMillis(999),
                        d.shutdownGrace(),
                        d.retention(),
                        d.failedRetention(),
                        d.failedKept(),
                        0,
                        Duration.ZERO,
                        0))
                .hasMessageStartingWith("lease must be at least 1s");
        assertThatThrownBy(() -> new WorkerSettings(
                        d.queues(),
                        d.concurrency(),
                        d.batchSize(),
                        d.pollMin(),
                        d.pollMax(),
                        d.lease(),
                        d.shutdownGrace(),
                        d.retention(),
                        d.failedRetention(),
                        d.failedKept(),
                        -1,
                        Duration.ZERO,
                        0))
                .hasMessage("max jobs must not be negative, got -1");
    }
}
