package dev.steadfast.queue.metrics;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.jdbc.threads.DaemonThreads;
import dev.steadfast.queue.StrandedJobs;
import dev.steadfast.queue.internal.coverage.Stranding;
import dev.steadfast.queue.internal.metrics.LabelBudget;
import dev.steadfast.queue.internal.store.Census;
import dev.steadfast.queue.internal.store.Store;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauges read from the tables, sampled every few seconds rather than on every scrape (a scrape must
 * not cost the database a query): {@code steadfast.queue.depth{queue,state}},
 * {@code steadfast.queue.oldest.age{queue}} (seconds the oldest due job has waited),
 * {@code steadfast.workers} (workers with a recent heartbeat) and {@code steadfast.jobs.stranded{queue,type}} (due
 * jobs no live worker will start: none serves their queue or handles their type; no row while no worker is alive).
 *
 * <p>However many processes sample, one at a time takes the census of the queues (it holds the {@code census}
 * role, taken over when its holder stops renewing it) and stores it; the others read the stored census, one
 * small row per queue. A process that may not write (a read-only dashboard) and finds no recent census takes
 * its own. Depths above {@link dev.steadfast.queue.QueueCounts#EXACT_UP_TO} are estimates.
 */
public final class QueueGauges implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueueGauges.class);
    private static final Duration LIVE_WORKER = Duration.ofMinutes(1);

    private final ResilientDatabase db;
    private final MultiGauge depth;
    private final MultiGauge oldestAge;
    private final MultiGauge stranded;
    private final LabelBudget strandedTypes;
    private final AtomicLong workers = new AtomicLong();
    private final ScheduledExecutorService sampler;
    private final LabelBudget queues;
    private final Store store = new Store();
    private final String holder = "gauges-" + UUID.randomUUID();
    private final Duration every;

    private QueueGauges(ResilientDatabase db, MeterRegistry registry, Duration every, int maxQueues) {
        this.db = db;
        this.every = every;
        this.queues = new LabelBudget(maxQueues);
        this.depth = MultiGauge.builder("steadfast.queue.depth")
                .description("Jobs per queue and state (pending is due now)")
                .register(registry);
        this.oldestAge = MultiGauge.builder("steadfast.queue.oldest.age")
                .baseUnit("seconds")
                .description("How long the oldest due pending job of a queue has waited")
                .register(registry);
        registry.gauge("steadfast.workers", Tags.empty(), workers);
        this.stranded = MultiGauge.builder("steadfast.jobs.stranded")
                .description("Due jobs no live worker will start (none serves the queue or handles the type)")
                .register(registry);
        this.strandedTypes = new LabelBudget(maxQueues);
        this.sampler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("steadfast-queue-gauges"));
    }

    /** Starts sampling every {@code every}; close to stop. */
    public static QueueGauges start(ResilientDatabase db, MeterRegistry registry, Duration every) {
        return start(db, registry, every, LabelBudget.DEFAULT_LIMIT);
    }

    /** As {@link #start(ResilientDatabase, MeterRegistry, Duration)}, with at most {@code maxQueues} queue labels (the rest: {@code _other}). */
    public static QueueGauges start(ResilientDatabase db, MeterRegistry registry, Duration every, int maxQueues) {
        QueueGauges gauges = new QueueGauges(db, registry, every, maxQueues);
        gauges.sampler.scheduleWithFixedDelay(gauges::sampleQuietly, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return gauges;
    }

    private void sampleQuietly() {
        try {
            sample();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("queue gauges not sampled: {}", e.getMessage());
        }
    }

    /** Reads the tables once (the census, or the stored one when another process takes it) and updates the gauges. */
    public void sample() throws SQLException {
        Map<String, double[]> byQueue =
                new TreeMap<>(); // pending, scheduled, running, oldest age; folded queues summed
        for (Census.QueueCensus census : census()) {
            double[] v = byQueue.computeIfAbsent(queues.label(census.queue()), q -> new double[4]);
            v[0] += census.counts().pending();
            v[1] += census.counts().scheduled();
            v[2] += census.counts().running();
            v[3] = Math.max(v[3], census.oldestDueSeconds());
        }
        workers.set(db.read(c -> store.workers().liveWorkers(c, LIVE_WORKER)));
        List<MultiGauge.Row<?>> depthRows = new ArrayList<>();
        List<MultiGauge.Row<?>> ageRows = new ArrayList<>();
        byQueue.forEach((queue, v) -> {
            depthRows.add(MultiGauge.Row.of(Tags.of("queue", queue, "state", "pending"), v[0]));
            depthRows.add(MultiGauge.Row.of(Tags.of("queue", queue, "state", "scheduled"), v[1]));
            depthRows.add(MultiGauge.Row.of(Tags.of("queue", queue, "state", "running"), v[2]));
            ageRows.add(MultiGauge.Row.of(Tags.of("queue", queue), v[3]));
        });
        depth.register(depthRows, true);
        oldestAge.register(ageRows, true);
        Map<Tags, Double> strandedRows = new HashMap<>();
        for (StrandedJobs jobs : new Stranding(db, store).report().jobs()) {
            strandedRows.merge(
                    Tags.of("queue", queues.label(jobs.queue()), "type", strandedTypes.label(jobs.type())),
                    (double) jobs.due(),
                    Double::sum);
        }
        stranded.register(
                strandedRows.entrySet().stream()
                        .<MultiGauge.Row<?>>map(e -> MultiGauge.Row.of(e.getKey(), e.getValue()))
                        .toList(),
                true);
    }

    private List<Census.QueueCensus> census() throws SQLException {
        Duration hold = every.multipliedBy(3);
        boolean held;
        try {
            held = db.transaction(c -> store.roles().holdRole(c, "census", holder, hold));
        } catch (SQLException e) {
            held = false; // a user that may only read: use the stored census, or take one without storing it
            LOG.debug("census role not taken: {}", e.getMessage());
        }
        if (held) {
            List<Census.QueueCensus> census = db.read(store.census()::census);
            db.transaction(tx -> {
                store.census().saveCensus(tx, census);
                return null;
            });
            return census;
        }
        List<Census.QueueCensus> stored = db.read(c -> store.census().savedCensus(c, hold));
        return stored.isEmpty() ? db.read(store.census()::census) : stored;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        try {
            db.transaction(c -> {
                store.roles().releaseRole(c, "census", holder);
                return null;
            });
        } catch (SQLException | RuntimeException e) {
            LOG.debug("census role not released (it expires on its own): {}", e.getMessage());
        }
    }
}
