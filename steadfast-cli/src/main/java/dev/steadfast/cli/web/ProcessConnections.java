package dev.steadfast.cli.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What steadfast-jdbc counted in this process: connection losses by class, replays, commit
 * resolutions, liveness evictions, heals, and whether a worker is in outage mode.
 */
record ProcessConnections(Map<String, Long> failures, long replays, Map<String, Long> resolutions, long evictions,
                        long heals, double meanHealMs, double maxHealMs, Instant lastHeal, long gaveUp, boolean outage,
                        String workerId) {

    /** The meters of a process that runs no worker. */
    static ProcessConnections of(MeterRegistry registry) {
        return of(registry, null);
    }

    /** @param workerId the worker this process runs (its heartbeat reports the same counters), or null */
    static ProcessConnections of(MeterRegistry registry, String workerId) {
        Map<String, Long> failures = byTag(registry, "steadfast.connection.failures", "kind");
        failures.remove("not_connection");
        Timer heal = registry.find("steadfast.heal.time").timer();
        Gauge last = registry.find("steadfast.heal.last").gauge();
        double lastSeconds = last == null ? 0 : last.value();
        boolean outage = registry.find("steadfast.outage").gauges().stream().anyMatch(g -> g.value() > 0);
        return new ProcessConnections(failures, sum(registry, "steadfast.unit.replays"),
                byTag(registry, "steadfast.commit.resolutions", "result"), sum(registry, "steadfast.liveness.evictions"),
                heal == null ? 0 : heal.count(), heal == null ? 0 : heal.mean(TimeUnit.MILLISECONDS),
                heal == null ? 0 : heal.max(TimeUnit.MILLISECONDS),
                lastSeconds > 0 ? Instant.ofEpochMilli((long) (lastSeconds * 1000)) : null,
                sum(registry, "steadfast.unit.failures"), outage, workerId);
    }

    long losses() {
        return failures.values().stream().mapToLong(Long::longValue).sum();
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
