package dev.steadfast.jdbc.metrics;

import dev.steadfast.jdbc.classify.FailureKind;
import dev.steadfast.jdbc.ConnectionHealth;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** Micrometer meters of the healing layer: losses by kind, replays, commit resolutions, time to heal. */
public final class ResilienceMetrics {
    /** How an interrupted commit was resolved. */
    public enum Resolution { COMMITTED, ROLLED_BACK, UNKNOWN }

    private final Map<FailureKind, Counter> losses = new EnumMap<>(FailureKind.class);
    private final Map<Resolution, Counter> resolutions = new EnumMap<>(Resolution.class);
    private final Counter transactionReplays;
    private final Counter readReplays;
    private final Counter livenessEvictions;
    private final Counter fences;
    private final Counter gaveUp;
    private final Timer healTime;
    private final java.util.concurrent.atomic.AtomicLong lastHealMillis = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicReference<java.time.Instant> unreachableSince =
            new java.util.concurrent.atomic.AtomicReference<>();

    public ResilienceMetrics(MeterRegistry registry) {
        for (FailureKind kind : FailureKind.values()) {
            losses.put(kind, Counter.builder("steadfast.connection.failures")
                    .description("Failures seen by units of work, by classification")
                    .tag("kind", kind.name().toLowerCase(Locale.ROOT)).register(registry));
        }
        for (Resolution resolution : Resolution.values()) {
            resolutions.put(resolution, Counter.builder("steadfast.commit.resolutions")
                    .description("Interrupted commits resolved after reconnecting")
                    .tag("result", resolution.name().toLowerCase(Locale.ROOT)).register(registry));
        }
        transactionReplays = Counter.builder("steadfast.unit.replays").tag("unit", "transaction")
                .description("Units of work run again on a fresh connection").register(registry);
        readReplays = Counter.builder("steadfast.unit.replays").tag("unit", "read")
                .description("Units of work run again on a fresh connection").register(registry);
        livenessEvictions = Counter.builder("steadfast.liveness.evictions")
                .description("Pooled connections found dead when borrowed and replaced").register(registry);
        fences = Counter.builder("steadfast.session.fences")
                .description("Old server sessions killed before a replay or commit resolution").register(registry);
        gaveUp = Counter.builder("steadfast.unit.failures")
                .description("Units of work that failed after the retry deadline or with an unknown commit outcome")
                .register(registry);
        healTime = Timer.builder("steadfast.heal.time")
                .description("From a unit's first connection failure to its success").register(registry);
        io.micrometer.core.instrument.Gauge.builder("steadfast.heal.last", lastHealMillis, m -> m.get() / 1000.0)
                .description("When a unit of work last healed (Unix time, seconds; 0 before the first)")
                .baseUnit("seconds").register(registry);
    }

    public void failure(FailureKind kind) {
        losses.get(kind).increment();
    }

    public void replay(boolean transaction) {
        (transaction ? transactionReplays : readReplays).increment();
    }

    public void resolution(Resolution resolution) {
        resolutions.get(resolution).increment();
    }

    public void livenessEviction() {
        livenessEvictions.increment();
    }

    public void fence() {
        fences.increment();
    }

    public void gaveUp() {
        gaveUp.increment();
    }

    public void healed(Duration time) {
        healTime.record(time);
        lastHealMillis.set(System.currentTimeMillis());
    }

    /** A unit failed to reach the database at {@code at}; the first such failure starts the outage. */
    public void unreachable(java.time.Instant at) {
        unreachableSince.compareAndSet(null, at);
    }

    /** A unit succeeded: the database is reachable. Read first: this runs for every unit. */
    public void reached() {
        if (unreachableSince.get() != null) {
            unreachableSince.set(null);
        }
    }

    /** The counters as one value. */
    public ConnectionHealth snapshot() {
        long lost = 0;
        for (Map.Entry<FailureKind, Counter> loss : losses.entrySet()) {
            if (loss.getKey().connectionBroken()) {
                lost += (long) loss.getValue().count();
            }
        }
        long last = lastHealMillis.get();
        return new ConnectionHealth(lost, healTime.count(), (long) livenessEvictions.count(), (long) gaveUp.count(),
                last == 0 ? null : java.time.Instant.ofEpochMilli(last), unreachableSince.get());
    }
}
