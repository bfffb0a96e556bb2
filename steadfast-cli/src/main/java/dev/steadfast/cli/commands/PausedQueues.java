package dev.steadfast.cli.commands;

import dev.steadfast.queue.QueueCounts;
import dev.steadfast.queue.QueueStats;

import java.util.ArrayList;
import java.util.List;

/**
 * Which of a worker's queues are paused while they hold jobs: {@code work --stop-when-empty} stops around them (no job
 * of a paused queue is runnable), and says so rather than that the queues hold no job.
 */
final class PausedQueues {
    private PausedQueues() {
    }

    /** {@code queue mail is paused with 20 jobs}, one clause per such queue; empty when none is. */
    static List<String> holdingJobs(QueueStats stats, List<String> queues) {
        List<String> clauses = new ArrayList<>();
        for (String name : queues) {
            QueueCounts counts = stats.queues().get(name);
            long held = counts == null ? 0 : counts.pending() + counts.scheduled();
            if (stats.paused().contains(name) && held > 0) {
                clauses.add("queue " + name + " is paused with " + held + (held == 1 ? " job" : " jobs")
                        + (counts.estimated().isEmpty() ? "" : " (about)"));
            }
        }
        return clauses;
    }

    /** The stop line when paused queues hold jobs, or null when none does. */
    static String stopLine(QueueStats stats, List<String> queues) {
        List<String> paused = holdingJobs(stats, queues);
        return paused.isEmpty() ? null : "stopped: no runnable job left (" + String.join("; ", paused)
                + "; 'steadfast queue resume NAME' lets workers run them)";
    }
}
