package dev.steadfast.jdbc.internal.metrics;

import dev.steadfast.jdbc.internal.classify.FailureKind;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The Micrometer view of {@link ResilienceCounters}: every meter reads the counters, none holds state. Only
 * this class names Micrometer, and it is loaded only when Micrometer is on the class path, which keeps
 * Micrometer optional for steadfast-jdbc (as it is for HikariCP).
 */
public final class ResilienceMeters {
    private ResilienceMeters() {}

    /** A private registry for a database built without one. */
    public static MeterRegistry defaultRegistry() {
        return new SimpleMeterRegistry();
    }

    /** Registers the meters of {@code counters} in {@code registry}. */
    public static void bind(ResilienceCounters counters, MeterRegistry registry) {
        for (FailureKind kind : FailureKind.values()) {
            FunctionCounter.builder("steadfast.connection.failures", counters, c -> c.failures(kind))
                    .description("Failures seen by units of work, by classification")
                    .tag("kind", kind.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
        for (ResilienceCounters.Resolution resolution : ResilienceCounters.Resolution.values()) {
            FunctionCounter.builder("steadfast.commit.resolutions", counters, c -> c.resolutions(resolution))
                    .description("Interrupted commits resolved after reconnecting")
                    .tag("result", resolution.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
        FunctionCounter.builder("steadfast.unit.replays", counters, ResilienceCounters::transactionReplays)
                .tag("unit", "transaction")
                .description("Units of work run again on a fresh connection")
                .register(registry);
        FunctionCounter.builder("steadfast.unit.replays", counters, ResilienceCounters::readReplays)
                .tag("unit", "read")
                .description("Units of work run again on a fresh connection")
                .register(registry);
        FunctionCounter.builder("steadfast.liveness.evictions", counters, ResilienceCounters::livenessEvictions)
                .description("Pooled connections found dead when borrowed and replaced")
                .register(registry);
        FunctionCounter.builder("steadfast.writer.moves", counters, ResilienceCounters::writerMoves)
                .description("Moves to another server of the URL's list (a node died, was cut off, turned read-only; "
                        + "or a failback)")
                .register(registry);
        FunctionCounter.builder("steadfast.session.fences", counters, ResilienceCounters::fences)
                .description("Old server sessions killed before a replay or commit resolution")
                .register(registry);
        FunctionCounter.builder("steadfast.unit.failures", counters, ResilienceCounters::gaveUpCount)
                .description("Units of work that failed after the retry deadline or with an unknown commit outcome")
                .register(registry);
        FunctionTimer.builder(
                        "steadfast.heal.time",
                        counters,
                        ResilienceCounters::heals,
                        ResilienceCounters::healSeconds,
                        TimeUnit.SECONDS)
                .description("From a unit's first connection failure to its success")
                .register(registry);
        Gauge.builder("steadfast.heal.max", counters, ResilienceCounters::maxHealSeconds)
                .baseUnit("seconds")
                .description("The longest time a unit of work took to heal")
                .register(registry);
        Gauge.builder("steadfast.heal.last", counters, ResilienceCounters::lastHealEpochSeconds)
                .baseUnit("seconds")
                .description("When a unit of work last healed (Unix time, seconds; 0 before the first)")
                .register(registry);
    }
}
