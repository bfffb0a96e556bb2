package dev.steadfast.queue.internal.metrics;

import dev.steadfast.queue.events.WorkerEvent;
import dev.steadfast.queue.events.WorkerListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The queue's meters, in Micrometer's naming (Prometheus: {@code steadfast_jobs_total},
 * {@code steadfast_job_duration_seconds}, {@code steadfast_claim_batch_size}, {@code steadfast_claim_latency_seconds}).
 * Jobs are counted by queue, type and event: enqueued, started, succeeded, retried, failed.
 */
public final class JobMetrics implements WorkerListener {
    private static final String JOBS = "steadfast.jobs";

    private final MeterRegistry registry;
    // a registry lookup builds an id and tags per call: on the per-job path, keep the meters
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();
    private final Map<List<String>, Timer> durations = new ConcurrentHashMap<>();
    private final DistributionSummary claimBatch;
    private final Timer claimLatency;
    private final LabelBudget queues;
    private final LabelBudget types;

    public JobMetrics(MeterRegistry registry) {
        this(registry, LabelBudget.DEFAULT_LIMIT);
    }

    /** @param maxLabelValues distinct queues, and distinct job types, counted apart; the rest count as {@code _other} */
    public JobMetrics(MeterRegistry registry, int maxLabelValues) {
        this.registry = registry;
        this.queues = new LabelBudget(maxLabelValues);
        this.types = new LabelBudget(maxLabelValues);
        this.claimBatch = DistributionSummary.builder("steadfast.claim.batch.size")
                .description("Jobs taken by one claim")
                .publishPercentileHistogram()
                .register(registry);
        this.claimLatency = Timer.builder("steadfast.claim.latency")
                .description("Time of one claim transaction")
                .publishPercentileHistogram()
                .register(registry);
    }

    /** Counts {@code n} jobs enqueued. */
    public void enqueued(String queue, String type, int n) {
        jobs(queue, type, "enqueued").increment(n);
    }

    public void claimed(int jobs, Duration took) {
        claimBatch.record(jobs);
        claimLatency.record(took);
    }

    @Override
    public void onEvent(WorkerEvent event) {
        if (event instanceof WorkerEvent.JobStarted started) {
            jobs(started.queue(), started.type(), "started").increment();
        } else if (event instanceof WorkerEvent.JobFinished finished) {
            String result = finished.result().name().toLowerCase(Locale.ROOT);
            jobs(finished.queue(), finished.type(), result).increment();
            durations
                    .computeIfAbsent(
                            List.of(queues.label(finished.queue()), types.label(finished.type()), result),
                            key -> Timer.builder("steadfast.job.duration")
                                    .description("Time spent in the handler, per attempt")
                                    .tag("queue", key.get(0))
                                    .tag("type", key.get(1))
                                    .tag("result", key.get(2))
                                    .publishPercentileHistogram()
                                    .register(registry))
                    .record(finished.duration());
        }
    }

    private Counter jobs(String queue, String type, String event) {
        return counters.computeIfAbsent(
                List.of(queues.label(queue), types.label(type), event),
                key -> Counter.builder(JOBS)
                        .description("Jobs by queue, type and event (enqueued, started, succeeded, retried, failed)")
                        .tag("queue", key.get(0))
                        .tag("type", key.get(1))
                        .tag("event", key.get(2))
                        .register(registry));
    }
}
