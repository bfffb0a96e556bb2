package dev.steadfast.queue;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Counts overall and per queue.
 *
 * @param total      all queues together
 * @param queues     per queue name, sorted (paused and rate-limited queues without jobs too)
 * @param paused     the names of the paused queues
 * @param rateLimits the rate-limited queues' limits, by name
 */
public record QueueStats(
        QueueCounts total, Map<String, QueueCounts> queues, Set<String> paused, Map<String, RateLimit> rateLimits) {
    public QueueStats {
        paused = Set.copyOf(paused);
        rateLimits = Map.copyOf(rateLimits);
    }

    /** Counts with pause information, without rate limits. */
    public QueueStats(QueueCounts total, Map<String, QueueCounts> queues, Set<String> paused) {
        this(total, queues, paused, Map.of());
    }

    /** Counts without pause information. */
    public QueueStats(QueueCounts total, Map<String, QueueCounts> queues) {
        this(total, queues, Set.of(), Map.of());
    }

    /** Whether workers start no job from this queue. */
    public boolean isPaused(String queue) {
        return paused.contains(queue);
    }

    /** This queue's rate limit, if it has one. */
    public Optional<RateLimit> rateLimit(String queue) {
        return Optional.ofNullable(rateLimits.get(queue));
    }
}
