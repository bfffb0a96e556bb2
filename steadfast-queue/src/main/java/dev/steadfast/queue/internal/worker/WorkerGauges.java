package dev.steadfast.queue.internal.worker;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/** A worker's own gauges (outage, stuck jobs), tagged with its id and removed when it stops. */
public final class WorkerGauges {
    private final MeterRegistry registry;
    private final Gauge outage;
    private final Gauge stuck;

    private WorkerGauges(MeterRegistry registry, Gauge outage, Gauge stuck) {
        this.registry = registry;
        this.outage = outage;
        this.stuck = stuck;
    }

    /** The suppliers are held strongly: nothing else refers to them (a gauge's weak reference would let them go). */
    public static WorkerGauges register(
            MeterRegistry registry, String workerId, BooleanSupplier reachable, IntSupplier stuckJobs) {
        Gauge outage = Gauge.builder("steadfast.outage", reachable, r -> r.getAsBoolean() ? 0 : 1)
                .description("1 while the worker finds its database unreachable (claims paused)")
                .tag("worker", workerId)
                .strongReference(true)
                .register(registry);
        Gauge stuck = Gauge.builder("steadfast.worker.stuck.jobs", stuckJobs, IntSupplier::getAsInt)
                .description("Jobs whose handler ignored the interrupt after their timeout: their threads stay taken")
                .tag("worker", workerId)
                .strongReference(true)
                .register(registry);
        return new WorkerGauges(registry, outage, stuck);
    }

    /** A stopped worker has no outage or stuck job to report. */
    public void remove() {
        registry.remove(outage);
        registry.remove(stuck);
    }
}
