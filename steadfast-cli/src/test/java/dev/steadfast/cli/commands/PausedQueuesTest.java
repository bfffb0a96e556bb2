package dev.steadfast.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.queue.QueueCounts;
import dev.steadfast.queue.QueueStats;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The stop line of {@code work --stop-when-empty} around paused queues names the command that resumes each. */
class PausedQueuesTest {
    private static QueueCounts waiting(long pending) {
        return new QueueCounts(pending, 0, 0, 0, 0, 0, Set.of());
    }

    @Test
    void theStopLineNamesEachPausedQueueToResume() {
        QueueStats stats = new QueueStats(
                waiting(6),
                Map.of("mail", waiting(2), "sms", waiting(1), "idle", waiting(0), "open", waiting(3)),
                Set.of("mail", "sms", "idle"));
        assertThat(PausedQueues.stopLine(stats, List.of("mail")))
                .isEqualTo("stopped: no runnable job left (queue mail is paused"
                        + " with 2 jobs; 'steadfast queue resume mail' lets workers run them)");
        assertThat(PausedQueues.stopLine(stats, List.of("mail", "idle", "sms", "open")))
                .isEqualTo("stopped: no runnable job left"
                        + " (queue mail is paused with 2 jobs; queue sms is paused with 1 job; 'steadfast queue resume mail' and"
                        + " 'steadfast queue resume sms' let workers run them)");
        assertThat(PausedQueues.stopLine(stats, List.of("idle", "open")))
                .as("a paused queue holding nothing")
                .isNull();
    }
}
