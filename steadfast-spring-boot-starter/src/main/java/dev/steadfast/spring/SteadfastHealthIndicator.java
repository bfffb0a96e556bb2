package dev.steadfast.spring;

import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.Migrations;
import dev.steadfast.queue.QueueStats;
import dev.steadfast.queue.Worker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code steadfast} health: down while the database cannot be read, the schema is behind, or this application's
 * worker finds its database unreachable (its outage mode); up otherwise, with the paused queues, the schema version
 * and the worker's state as details.
 */
final class SteadfastHealthIndicator extends AbstractHealthIndicator {
    private static final Duration SCHEMA_CHECKED_FOR = Duration.ofMinutes(5);

    private final JobQueue queue;
    private final Worker worker; // null on a node without a worker
    private final Clock clock;
    private volatile Migrations.SchemaStatus schema;
    private volatile Instant schemaCheckedAt = Instant.MIN;

    SteadfastHealthIndicator(JobQueue queue, Worker worker, Clock clock) {
        super("steadfast health check failed");
        this.queue = queue;
        this.worker = worker;
        this.clock = clock;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        QueueStats stats = queue.stats(); // reads the database: a failure here is reported down, with the error
        Migrations.SchemaStatus status = schema();
        builder.withDetail(
                        "schema",
                        status.current()
                                + (status.upToDate() ? "" : " (" + status.pending() + " migration(s) pending)"))
                .withDetail("pausedQueues", stats.paused());
        boolean up = status.upToDate();
        if (worker != null) {
            builder.withDetail("worker", worker.id())
                    .withDetail("workerState", worker.health().name().toLowerCase(Locale.ROOT));
            if (worker.stuckJobs() > 0) {
                builder.withDetail("stuckJobs", worker.stuckJobs());
            }
            if (worker.databaseDownSince().isPresent()) {
                builder.withDetail(
                        "databaseDownSince", worker.databaseDownSince().get().toString());
                up = false;
            }
        }
        if (up) {
            builder.up();
        } else {
            builder.down();
        }
    }

    /** The schema's status, read again at most every few minutes once it is current (Flyway reads its history). */
    private Migrations.SchemaStatus schema() {
        Migrations.SchemaStatus known = schema;
        Instant now = clock.instant();
        if (known == null || !known.upToDate() || now.isAfter(schemaCheckedAt.plus(SCHEMA_CHECKED_FOR))) {
            known = Migrations.status(queue.database().dataSource());
            schema = known;
            schemaCheckedAt = now;
        }
        return known;
    }
}
