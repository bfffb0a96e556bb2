package dev.steadfast.queue.notify;

import java.time.Duration;

/**
 * When and how often to notify.
 *
 * @param databaseDownAfter notify when the database stays unreachable this long (and again when it is back)
 * @param window            identical events within this window become one message with a count
 * @param maxPerMinute      messages per minute at most, whatever their kind
 */
public record NotificationPolicy(Duration databaseDownAfter, Duration window, int maxPerMinute) {
    public static final NotificationPolicy DEFAULT =
            new NotificationPolicy(Duration.ofSeconds(60), Duration.ofSeconds(60), 20);

    public NotificationPolicy {
        if (maxPerMinute < 1) {
            throw new IllegalArgumentException(
                    "at least one notification per minute must be allowed, got " + maxPerMinute);
        }
        if (window.isNegative() || databaseDownAfter.isNegative()) {
            throw new IllegalArgumentException("notification durations must not be negative");
        }
    }
}
