package dev.steadfast.cli.demo;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * What steadfast-jdbc counted while the demo broke things.
 *
 * @param evictions   pooled connections found dead on borrow and replaced
 * @param losses      statements or commits cut off by a lost connection
 * @param healed      units of work that succeeded after a loss
 * @param resolutions interrupted commits whose outcome was resolved
 * @param gaveUp      units of work that failed for good
 */
record DemoMetrics(long evictions, long losses, long healed, long resolutions, long gaveUp) {

    static DemoMetrics of(MeterRegistry registry) {
        long losses = 0;
        for (Counter c : registry.find("steadfast.connection.failures").counters()) {
            String kind = c.getId().getTag("kind");
            if ("lost_before_sent".equals(kind) || "lost_maybe_executed".equals(kind)) {
                losses += (long) c.count();
            }
        }
        Timer heal = registry.find("steadfast.heal.time").timer();
        return new DemoMetrics(sum(registry, "steadfast.liveness.evictions"), losses, heal == null ? 0 : heal.count(),
                sum(registry, "steadfast.commit.resolutions"), sum(registry, "steadfast.unit.failures"));
    }

    private static long sum(MeterRegistry registry, String name) {
        return (long) registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }
}
