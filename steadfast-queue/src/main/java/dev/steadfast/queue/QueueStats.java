package dev.steadfast.queue;

import java.util.Map;

/**
 * Counts overall and per queue.
 *
 * @param total  all queues together
 * @param queues per queue name, sorted
 */
public record QueueStats(QueueCounts total, Map<String, QueueCounts> queues) {
}
