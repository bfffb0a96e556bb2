package dev.steadfast.jdbc.internal.metrics;

import dev.steadfast.jdbc.ConnectionHealth;
import dev.steadfast.jdbc.HealingStats;
import dev.steadfast.jdbc.internal.classify.FailureKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the healing layer has done, as typed state: losses by kind, replays, commit resolutions, time to
 * heal, and whether the database is unreachable right now. {@link ConnectionHealth}, the notifier and the
 * dashboard read these numbers; Micrometer meters, when a registry is given, are views bound to them
 * ({@link ResilienceMeters}), so filtering meters out never changes what is reported.
 */
public final class ResilienceCounters {
    /** How an interrupted commit was resolved. */
    public enum Resolution {
        COMMITTED,
        ROLLED_BACK,
        UNKNOWN
    }

    private final Map<FailureKind, LongAdder> failures = new EnumMap<>(FailureKind.class);
    private final Map<Resolution, LongAdder> resolutions = new EnumMap<>(Resolution.class);
    private final LongAdder transactionReplays = new LongAdder();
    private final LongAdder readReplays = new LongAdder();
    private final LongAdder livenessEvictions = new LongAdder();
    private final LongAdder writerMoves = new LongAdder();
    private final LongAdder fences = new LongAdder();
    private final LongAdder gaveUp = new LongAdder();
    private final LongAdder heals = new LongAdder();
    private final LongAdder healNanos = new LongAdder();
    private final AtomicLong maxHealNanos = new AtomicLong();
    private final AtomicReference<Instant> lastHeal = new AtomicReference<>();
    private final AtomicReference<Instant> unreachableSince = new AtomicReference<>();
    private final Clock clock;

    public ResilienceCounters(Clock clock) {
        this.clock = clock;
        for (FailureKind kind : FailureKind.values()) {
            failures.put(kind, new LongAdder());
        }
        for (Resolution resolution : Resolution.values()) {
            resolutions.put(resolution, new LongAdder());
        }
    }

    public void failure(FailureKind kind) {
        failures.get(kind).increment();
    }

    public void replay(boolean transaction) {
        (transaction ? transactionReplays : readReplays).increment();
    }

    public void resolution(Resolution resolution) {
        resolutions.get(resolution).increment();
    }

    /** The database now writes through another server of its list. */
    public void writerMoved() {
        writerMoves.increment();
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
        heals.increment();
        healNanos.add(time.toNanos());
        maxHealNanos.accumulateAndGet(time.toNanos(), Math::max);
        lastHeal.set(clock.instant());
    }

    /** A unit failed to reach the database at {@code at}; the first such failure starts the outage. */
    public void unreachable(Instant at) {
        unreachableSince.compareAndSet(null, at);
    }

    /** A unit succeeded: the database is reachable. Read first: this runs for every unit. */
    public void reached() {
        if (unreachableSince.get() != null) {
            unreachableSince.set(null);
        }
    }

    /** The totals as one value. */
    public ConnectionHealth snapshot() {
        long lost = 0;
        for (Map.Entry<FailureKind, LongAdder> f : failures.entrySet()) {
            if (f.getKey().connectionBroken()) {
                lost += f.getValue().sum();
            }
        }
        return new ConnectionHealth(
                lost, heals.sum(), livenessEvictions.sum(), gaveUp.sum(), lastHeal.get(), unreachableSince.get());
    }

    /** Everything, by kind. */
    public HealingStats stats() {
        long healed = heals.sum();
        return new HealingStats(
                byName(failures),
                transactionReplays.sum(),
                readReplays.sum(),
                byName(resolutions),
                fences.sum(),
                healed,
                healed == 0 ? 0 : healNanos.sum() / 1e6 / healed,
                maxHealNanos.get() / 1e6);
    }

    long failures(FailureKind kind) {
        return failures.get(kind).sum();
    }

    long resolutions(Resolution resolution) {
        return resolutions.get(resolution).sum();
    }

    long transactionReplays() {
        return transactionReplays.sum();
    }

    long readReplays() {
        return readReplays.sum();
    }

    long writerMoves() {
        return writerMoves.sum();
    }

    long livenessEvictions() {
        return livenessEvictions.sum();
    }

    long fences() {
        return fences.sum();
    }

    long gaveUpCount() {
        return gaveUp.sum();
    }

    long heals() {
        return heals.sum();
    }

    double healSeconds() {
        return healNanos.sum() / 1e9;
    }

    double maxHealSeconds() {
        return maxHealNanos.get() / 1e9;
    }

    double lastHealEpochSeconds() {
        Instant last = lastHeal.get();
        return last == null ? 0 : last.toEpochMilli() / 1000.0;
    }

    private static <E extends Enum<E>> Map<String, Long> byName(Map<E, LongAdder> counters) {
        Map<String, Long> out = new LinkedHashMap<>();
        counters.forEach((k, v) -> out.put(k.name().toLowerCase(Locale.ROOT), v.sum()));
        return out;
    }
}
