package dev.steadfast.queue.metrics;

import dev.steadfast.jdbc.ResilientDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gauges read from the tables, sampled every few seconds rather than on every scrape (a scrape must
 * not cost the database an aggregate query): {@code steadfast.queue.depth{queue,state}},
 * {@code steadfast.queue.oldest.age{queue}} (seconds the oldest due job has waited) and
 * {@code steadfast.workers} (workers with a recent heartbeat).
 */
public final class QueueGauges implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueueGauges.class);
    private static final Duration LIVE_WORKER = Duration.ofMinutes(1);

    private final ResilientDatabase db;
    private final MultiGauge depth;
    private final MultiGauge oldestAge;
    private final AtomicLong workers = new AtomicLong();
    private final ScheduledExecutorService sampler;

    private QueueGauges(ResilientDatabase db, MeterRegistry registry) {
        this.db = db;
        this.depth = MultiGauge.builder("steadfast.queue.depth").description("Jobs per queue and state (pending is due now)")
                .register(registry);
        this.oldestAge = MultiGauge.builder("steadfast.queue.oldest.age").baseUnit("seconds")
                .description("How long the oldest due pending job of a queue has waited").register(registry);
        registry.gauge("steadfast.workers", Tags.empty(), workers);
        this.sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "steadfast-queue-gauges");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts sampling every {@code every}; close to stop. */
    public static QueueGauges start(ResilientDatabase db, MeterRegistry registry, Duration every) {
        QueueGauges gauges = new QueueGauges(db, registry);
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

    /** Reads the tables once and updates the gauges. */
    public void sample() throws SQLException {
        List<MultiGauge.Row<?>> depthRows = new ArrayList<>();
        List<MultiGauge.Row<?>> ageRows = new ArrayList<>();
        db.read(c -> {
            // every queue that has jobs, with zeros: a drained queue reports 0, it does not vanish from the scrape
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT queue,"
                         + " SUM(state = 'pending' AND run_at <= NOW(3)), SUM(state = 'pending' AND run_at > NOW(3)),"
                         + " SUM(state = 'running'),"
                         + " COALESCE(MAX(CASE WHEN state = 'pending' AND run_at <= NOW(3)"
                         + "   THEN TIMESTAMPDIFF(MICROSECOND, run_at, NOW(3)) END), 0) / 1e6"
                         + " FROM sf_job GROUP BY queue")) {
                while (rs.next()) {
                    String queue = rs.getString(1);
                    depthRows.add(MultiGauge.Row.of(Tags.of("queue", queue, "state", "pending"), rs.getLong(2)));
                    depthRows.add(MultiGauge.Row.of(Tags.of("queue", queue, "state", "scheduled"), rs.getLong(3)));
                    depthRows.add(MultiGauge.Row.of(Tags.of("queue", queue, "state", "running"), rs.getLong(4)));
                    ageRows.add(MultiGauge.Row.of(Tags.of("queue", queue), rs.getDouble(5)));
                }
            }
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sf_worker WHERE last_heartbeat > NOW(3) - INTERVAL "
                         + LIVE_WORKER.toSeconds() + " SECOND")) {
                rs.next();
                workers.set(rs.getLong(1));
            }
            return null;
        });
        depth.register(depthRows, true);
        oldestAge.register(ageRows, true);
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
