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
    private PausedQueues() {}

    /** {@code queue mail is paused with 20 jobs}, one clause per such queue; empty when none is. */
    static List<String> holdingJobs(QueueStats stats, List<String> queues) {
        List<String> clauses = new ArrayList<>();
        for (String name : pausedHoldingJobs(stats, queues)) {
            QueueCounts counts = stats.queues().get(name);
            long held = held(counts);
            clauses.add("queue " + name + " is paused with " + held + (held == 1 ? " job" : " jobs")
                    + (counts.estimated().isEmpty() ? "" : " (about)"));
        }
        return clauses;
    }

    /** The stop line when paused queues hold jobs, naming the command that resumes each; null when none does. */
    static String stopLine(QueueStats stats, List<String> queues) {
        List<String> paused = holdingJobs(stats, queues);
        if (paused.isEmpty()) {
            return null;
        }
        List<String> resume = pausedHoldingJobs(stats, queues).stream()
                .map(name -> "'steadfast queue resume " + name + "'")
                .toList();
        return "stopped: no runnable job left (" + String.join("; ", paused) + "; " + String.join(" and ", resume)
                + (resume.size() == 1 ? " lets" : " let") + " workers run them)";
    }

    private static List<String> pausedHoldingJobs(QueueStats stats, List<String> queues) {
        return queues.stream()
                .filter(name ->
                        stats.paused().contains(name) && held(stats.queues().get(name)) > 0)
                .toList();
    }

    private static long held(QueueCounts counts) {
        return counts == null ? 0 : counts.pending() + counts.scheduled();
    }
}
