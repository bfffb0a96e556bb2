package dev.steadfast.spring;

import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.JobStatus;
import dev.steadfast.queue.QueueCounts;
import dev.steadfast.queue.QueueStats;
import dev.steadfast.queue.RateLimit;
import dev.steadfast.queue.Worker;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/steadfast}: jobs per state, overall and per queue (the shape of {@code steadfast stats --json}),
 * and this application's worker. Exposed like any endpoint: {@code management.endpoints.web.exposure.include}.
 */
@Endpoint(id = "steadfast")
public class SteadfastEndpoint {
    private final JobQueue queue;
    private final Worker worker;

    SteadfastEndpoint(JobQueue queue, Worker worker) {
        this.queue = queue;
        this.worker = worker;
    }

    @ReadOperation
    public Map<String, Object> stats() throws SQLException {
        QueueStats stats = queue.stats();
        Map<String, Object> document = counts(stats.total());
        Map<String, Object> queues = new TreeMap<>();
        stats.queues().forEach((name, counts) -> {
            Map<String, Object> q = counts(counts);
            q.put("paused", stats.isPaused(name));
            q.put(
                    "rate_limit",
                    stats.rateLimit(name).map(SteadfastEndpoint::rateLimit).orElse(null));
            queues.put(name, q);
        });
        document.put("queues", queues);
        if (worker != null) {
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("id", worker.id());
            w.put("state", worker.health().name().toLowerCase(Locale.ROOT));
            w.put("queues", worker.queues());
            w.put("types", worker.types());
            w.put("running", worker.currentJobs().size());
            w.put("processed", worker.processed());
            w.put("stuck", worker.stuckJobs());
            document.put("worker", w);
        }
        return document;
    }

    private static Map<String, Object> counts(QueueCounts c) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (JobStatus status : JobStatus.values()) {
            m.put(status.text(), c.of(status));
        }
        m.put("estimated", c.estimated());
        return m;
    }

    private static Map<String, Object> rateLimit(RateLimit limit) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jobs", limit.jobs());
        m.put("per_ms", limit.per().toMillis());
        return m;
    }
}
