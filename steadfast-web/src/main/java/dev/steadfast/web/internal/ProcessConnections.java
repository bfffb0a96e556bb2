package dev.steadfast.web.internal;

import dev.steadfast.jdbc.ConnectionHealth;
import dev.steadfast.jdbc.HealingStats;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.Worker;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * What steadfast-jdbc counted in this process, read from the database's own state (never from meters, which
 * a registry may filter), and whether this process's worker is in outage mode.
 *
 * @param workerId the worker this process runs (its heartbeat reports the same totals), or null
 */
record ProcessConnections(ConnectionHealth totals, HealingStats stats, boolean outage, String workerId) {

    /** @param worker the worker of this process, or null */
    static ProcessConnections of(ResilientDatabase db, Worker worker) {
        return new ProcessConnections(
                db.connectionHealth(),
                db.healingStats(),
                worker != null && worker.health() == Worker.Health.DEGRADED,
                worker == null ? null : worker.id());
    }

    /** Connection losses by class, sorted; failures that were not connection losses left out. */
    Map<String, Long> failures() {
        Map<String, Long> failures = new TreeMap<>(stats.failuresByKind());
        failures.remove("not_connection");
        return failures;
    }

    long losses() {
        return totals.losses();
    }

    long heals() {
        return totals.heals();
    }

    long evictions() {
        return totals.evictions();
    }

    long gaveUp() {
        return totals.gaveUp();
    }

    Instant lastHeal() {
        return totals.lastHeal();
    }
}
