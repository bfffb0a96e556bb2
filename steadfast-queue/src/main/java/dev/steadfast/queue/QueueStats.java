package dev.steadfast.queue;

import java.util.Map;
import java.util.Set;

/**
 * Counts overall and per queue.
 *
 * @param total  all queues together
 * @param queues per queue name, sorted (paused queues without jobs too)
 * @param paused the names of the paused queues
 */
public record QueueStats(QueueCounts total, Map<String, QueueCounts> queues, Set<String> paused) {
    public QueueStats {
        paused = Set.copyOf(paused);
    }

    /** Counts without pause information. */
    public QueueStats(QueueCounts total, Map<String, QueueCounts> queues) {
        this(total, queues, Set.of());
    }

    /** Whether workers start no job from this queue. */
    public boolean isPaused(String queue) {
        return paused.contains(queue);
    }
}
