package dev.steadfast.web.internal;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.jdbc.threads.DaemonThreads;
import dev.steadfast.queue.Migrations;
import dev.steadfast.queue.Worker;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code /readyz}: ready when the database answers within a few seconds, the schema is current, and the
 * worker (if this process runs one) is not in outage mode. A probe must answer fast, so the database
 * is checked on one pooled connection with a short validity timeout, not through a unit of work that
 * would retry for half a minute.
 */
final class Readiness implements AutoCloseable {
    private static final int CHECK_SECONDS = 3;

    private final ResilientDatabase db;
    private final Worker worker;

    private final ExecutorService pinger =
            Executors.newSingleThreadExecutor(DaemonThreads.named("steadfast-readiness"));

    Readiness(ResilientDatabase db, Worker worker) {
        this.db = db;
        this.worker = worker;
    }

    private boolean ping() throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            return c.isValid(CHECK_SECONDS);
        }
    }

    Map<String, Object> check() {
        Map<String, Object> body = new LinkedHashMap<>();
        boolean ready = true;
        long started = System.nanoTime();
        Map<String, Object> database = new LinkedHashMap<>();
        // borrowing waits for the pool's connection timeout when the server is down: the probe answers sooner
        Future<Boolean> ping = pinger.submit(this::ping);
        try {
            boolean valid = ping.get(CHECK_SECONDS, TimeUnit.SECONDS);
            database.put("reachable", valid);
            ready &= valid;
        } catch (TimeoutException e) {
            ping.cancel(true);
            database.put("reachable", false);
            database.put("error", "no answer within " + CHECK_SECONDS + " s");
            ready = false;
        } catch (ExecutionException e) {
            database.put("reachable", false);
            database.put("error", e.getCause().getClass().getSimpleName());
            ready = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            database.put("reachable", false);
            ready = false;
        }
        database.put("latency_ms", (System.nanoTime() - started) / 1_000_000);
        body.put("database", database);
        Map<String, Object> schema = new LinkedHashMap<>();
        if (Boolean.TRUE.equals(database.get("reachable"))) {
            try {
                Migrations.SchemaStatus status = Migrations.status(db.dataSource());
                schema.put("current", status.current());
                schema.put("latest", status.latest());
                schema.put("up_to_date", status.upToDate());
                ready &= status.upToDate();
            } catch (RuntimeException e) {
                schema.put("up_to_date", false);
                ready = false;
            }
        }
        body.put("schema", schema);
        if (worker != null) {
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("id", worker.id());
            w.put("state", worker.health().name());
            w.put(
                    "database_down_since",
                    worker.databaseDownSince().map(Object::toString).orElse(null));
            boolean running = worker.health() == Worker.Health.RUNNING;
            w.put("outage", worker.health() == Worker.Health.DEGRADED);
            ready &= running;
            body.put("worker", w);
        }
        body.put("status", ready ? "ready" : "not ready");
        return body;
    }

    @Override
    public void close() {
        pinger.shutdownNow();
    }
}
