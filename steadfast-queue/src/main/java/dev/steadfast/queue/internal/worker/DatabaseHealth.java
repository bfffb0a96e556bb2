package dev.steadfast.queue.internal.worker;

import dev.steadfast.jdbc.DatabaseUnavailableException;
import dev.steadfast.queue.events.WorkerEvent;
import dev.steadfast.queue.events.WorkerListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the worker can reach its database, with one log line per change of state (lost, still down
 * every minute, healed) instead of one per failed attempt.
 */
public final class DatabaseHealth {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseHealth.class);
    private static final Duration REMIND_EVERY = Duration.ofMinutes(1);

    private final Clock clock;
    private final WorkerListener listener;
    private Instant downSince;
    private Instant lastReminder;

    public DatabaseHealth(Clock clock, WorkerListener listener) {
        this.clock = clock;
        this.listener = listener;
    }

    public synchronized boolean reachable() {
        return downSince == null;
    }

    /** Since when the database has been unreachable; null while it is reachable. */
    public synchronized Instant downSince() {
        return downSince;
    }

    public void unreachable(Exception cause) {
        WorkerEvent event = null;
        synchronized (this) {
            Instant now = clock.instant();
            if (downSince == null) {
                // the unit that gave up had been failing for a while: the outage began at its first failure
                downSince = cause instanceof DatabaseUnavailableException unavailable
                        ? unavailable
                                .firstFailure()
                                .filter(first -> first.isBefore(now))
                                .orElse(now)
                        : now;
                lastReminder = now;
                LOG.warn("database unreachable, pausing claims until it is back: {}", cause.getMessage());
                event = new WorkerEvent.DatabaseDown(cause.getMessage(), downSince);
            } else if (Duration.between(lastReminder, now).compareTo(REMIND_EVERY) >= 0) {
                lastReminder = now;
                LOG.warn(
                        "database still unreachable after {} s",
                        Duration.between(downSince, now).toSeconds());
            }
        }
        if (event != null) {
            listener.onEvent(event);
        }
    }

    public void ok() {
        WorkerEvent event = null;
        synchronized (this) {
            if (downSince != null) {
                Instant now = clock.instant();
                Duration downtime = Duration.between(downSince, now);
                LOG.info("database reachable again after {} ms, resuming", downtime.toMillis());
                downSince = null;
                event = new WorkerEvent.DatabaseUp(downtime, now);
            }
        }
        if (event != null) {
            listener.onEvent(event);
        }
    }
}
