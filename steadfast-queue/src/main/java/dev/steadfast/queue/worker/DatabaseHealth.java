package dev.steadfast.queue.worker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether the worker can reach its database, with one log line per change of state (lost, still down
 * every minute, healed) instead of one per failed attempt.
 */
public final class DatabaseHealth {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseHealth.class);
    private static final Duration REMIND_EVERY = Duration.ofMinutes(1);

    private final Clock clock;
    private Instant downSince;
    private Instant lastReminder;

    public DatabaseHealth(Clock clock) {
        this.clock = clock;
    }

    public synchronized boolean reachable() {
        return downSince == null;
    }

    public synchronized void unreachable(Exception cause) {
        Instant now = clock.instant();
        if (downSince == null) {
            downSince = now;
            lastReminder = now;
            LOG.warn("database unreachable, pausing claims until it is back: {}", cause.getMessage());
        } else if (Duration.between(lastReminder, now).compareTo(REMIND_EVERY) >= 0) {
            lastReminder = now;
            LOG.warn("database still unreachable after {} s", Duration.between(downSince, now).toSeconds());
        }
    }

    public synchronized void ok() {
        if (downSince != null) {
            LOG.info("database reachable again after {} ms, resuming", Duration.between(downSince, clock.instant()).toMillis());
            downSince = null;
        }
    }
}
