package dev.steadfast.queue.internal.worker;

import java.time.Duration;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * What a worker believes about which queues are rate-limited, read again at most once per {@link #REFRESH} by a
 * claim. A stale belief is safe: a queue limited since is left out of claims that do not take its permits, and one
 * no longer limited gives nothing until the next read.
 */
final class RateLimitedQueues {
    static final Duration REFRESH = Duration.ofSeconds(1);

    private final LongSupplier nanoTime;
    private volatile Set<String> limited = Set.of();
    private volatile long readAt;
    private volatile boolean read;

    RateLimitedQueues(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Whether the belief is older than {@link #REFRESH} (or was never read). */
    boolean stale() {
        return !read || nanoTime.getAsLong() - readAt >= REFRESH.toNanos();
    }

    void update(Set<String> queues) {
        limited = Set.copyOf(queues);
        readAt = nanoTime.getAsLong();
        read = true;
    }

    Set<String> limited() {
        return limited;
    }
}
