package dev.steadfast.cli.web;

import dev.steadfast.jdbc.ConnectionHealth;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What steadfast-jdbc counted in this process: the database's totals, plus what only the meters hold
 * (losses by class, replays, commit resolutions, heal times) and whether a worker is in outage mode.
 */
record ProcessConnections(ConnectionHealth totals, Map<String, Long> failures, long replays,
                          Map<String, Long> resolutions, double meanHealMs, double maxHealMs, boolean outage,
                          String workerId) {

    /**
     * @param totals   the database's own snapshot (losses, heals, evictions, given up, last heal)
     * @param workerId the worker this process runs (its heartbeat reports the same totals), or null
     */
    static ProcessConnections of(MeterRegistry registry, ConnectionHealth totals, String workerId) {
        Map<String, Long> failures = byTag(registry, "steadfast.connection.failures", "kind");
        failures.remove("not_connection");
        Timer heal = registry.find("steadfast.heal.time").timer();
        boolean outage = registry.find("steadfast.outage").gauges().stream().anyMatch(g -> g.value() > 0);
        return new ProcessConnections(totals, failures, sum(registry, "steadfast.unit.replays"),
                byTag(registry, "steadfast.commit.resolutions", "result"),
                heal == null ? 0 : heal.mean(TimeUnit.MILLISECONDS), heal == null ? 0 : heal.max(TimeUnit.MILLISECONDS),
                outage, workerId);
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

    private static Map<String, Long> byTag(MeterRegistry registry, String name, String tag) {
        Map<String, Long> values = new TreeMap<>();
        for (Counter c : registry.find(name).counters()) {
            values.merge(c.getId().getTag(tag), (long) c.count(), Long::sum);
        }
        return values;
    }

    private static long sum(MeterRegistry registry, String name) {
        return (long) registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }
}
