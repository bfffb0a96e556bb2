package dev.steadfast.queue.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** The worker's pure decisions: back-pressure, idle pauses, limits, lifecycle. */
class WorkerPolicyTest {
    private final PollPolicy polling = new PollPolicy(4, 50, Duration.ofMillis(50), Duration.ofSeconds(2));

    @Test
    void claimsRunAheadOfThreadsByABatchButNoFurther() {
        // 4 threads + a batch of 50 = 54 slots
        assertThat(polling.claimSize(54, 0, Long.MAX_VALUE))
                .as("idle worker: a full batch")
                .isEqualTo(50);
        assertThat(polling.claimSize(30, 24, Long.MAX_VALUE))
                .as("room for more than half a batch")
                .isEqualTo(30);
        assertThat(polling.claimSize(25, 29, Long.MAX_VALUE))
                .as("half a batch or less while every thread is busy: wait")
                .isZero();
        assertThat(polling.claimSize(26, 28, Long.MAX_VALUE))
                .as("just over half a batch: claim it")
                .isEqualTo(26);
        assertThat(polling.claimSize(26, 4, Long.MAX_VALUE))
                .as("threads not all busy: claim what fits")
                .isEqualTo(26);
        assertThat(polling.claimSize(54, 0, 3)).as("a job limit caps the claim").isEqualTo(3);
        assertThat(polling.claimSize(54, 0, 0)).as("limit used up").isZero();
    }

    @Test
    void queueOrderIsStrictOrDrawnByWeight() {
        assertThat(QueueOrder.strict(List.of("a", "b", "c")).next(() -> 0.99)).containsExactly("a", "b", "c");
        assertThat(QueueOrder.strict(List.of("a", "b")).toString()).isEqualTo("a, b (in that order)");
        assertThat(QueueOrder.strict(List.of("a")).toString())
                .as("one queue has no order")
                .isEqualTo("a");
        Map<String, Integer> weights = new LinkedHashMap<>();
        weights.put("a", 3);
        weights.put("b", 1);
        QueueOrder weighted = QueueOrder.weighted(weights);
        assertThat(weighted.next(() -> 0.0)).containsExactly("a", "b");
        assertThat(weighted.next(() -> 0.74))
                .as("a takes the first three quarters")
                .containsExactly("a", "b");
        assertThat(weighted.next(() -> 0.76)).containsExactly("b", "a");
        assertThat(weighted.queues()).containsExactly("a", "b");
        weights.put("c", 0);
        Assertions.assertThatThrownBy(() -> QueueOrder.weighted(weights)).hasMessageContaining("at least 1");
    }

    @Test
    void anEmptyQueueDoublesThePauseUpToTheMaximum() {
        Duration idle = Duration.ofMillis(50);
        for (long expected : new long[] {100, 200, 400, 800, 1600, 2000, 2000}) {
            idle = polling.nextIdle(idle);
            assertThat(idle).isEqualTo(Duration.ofMillis(expected));
        }
    }

    @Test
    void limitsSayWhyTheWorkerStops() {
        Instant start = Instant.parse("2026-11-26T00:00:00Z");
        WorkerLimits none = new WorkerLimits(0, Duration.ZERO, 0);
        assertThat(none.reached(1_000_000, start, start.plus(Duration.ofDays(30)), 100_000))
                .isEmpty();
        assertThat(none.budget(10, 3)).isEqualTo(Long.MAX_VALUE);

        WorkerLimits jobs = new WorkerLimits(10, Duration.ZERO, 0);
        assertThat(jobs.reached(9, start, start, 0)).isEmpty();
        assertThat(jobs.reached(10, start, start, 0)).hasValue("reached its limit of 10 job(s)");
        assertThat(jobs.budget(6, 3))
                .as("finished and held count against the limit")
                .isEqualTo(1);

        WorkerLimits time = new WorkerLimits(0, Duration.ofHours(1), 0);
        assertThat(time.reached(0, start, start.plus(Duration.ofMinutes(59)), 0))
                .isEmpty();
        assertThat(time.reached(0, start, start.plus(Duration.ofHours(1)), 0))
                .hasValue("reached its maximum run time of 1 h");

        WorkerLimits memory = new WorkerLimits(0, Duration.ZERO, 512);
        assertThat(memory.reached(0, start, start, 511)).isEmpty();
        assertThat(memory.reached(0, start, start, 512))
                .hasValueSatisfying(s -> assertThat(s).contains("512 MB"));
    }

    @Test
    void exactlyOneCallerStartsAndExactlyOneRunsTheShutdown() {
        WorkerState state = new WorkerState();
        assertThat(state.phase()).isEqualTo(WorkerState.Phase.NEW);
        assertThat(state.start()).isTrue();
        assertThat(state.start()).as("twice").isFalse();
        assertThat(state.running()).isTrue();
        assertThat(state.stop()).isEqualTo(WorkerState.Stop.BEGUN);
        assertThat(state.stop()).isEqualTo(WorkerState.Stop.ALREADY);
        assertThat(state.phase()).isEqualTo(WorkerState.Phase.STOPPING);
        state.stopped();
        assertThat(state.stop()).isEqualTo(WorkerState.Stop.ALREADY);
        assertThat(state.start()).as("a stopped worker does not start again").isFalse();

        WorkerState unused = new WorkerState();
        assertThat(unused.stop()).isEqualTo(WorkerState.Stop.NEVER_STARTED);
        assertThat(unused.phase()).isEqualTo(WorkerState.Phase.STOPPED);
        assertThat(unused.start()).isFalse();
    }
}
