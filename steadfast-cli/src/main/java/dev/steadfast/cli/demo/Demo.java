package dev.steadfast.cli.demo;

import dev.steadfast.embedded.EmbeddedHome;
import dev.steadfast.embedded.FileTrees;
import dev.steadfast.embedded.MariaDbInstallation;
import dev.steadfast.embedded.MariaDbProcess;
import dev.steadfast.embedded.PortAllocator;
import dev.steadfast.jdbc.ConnectionHealth;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.JobRequest;
import dev.steadfast.queue.QueueCounts;
import dev.steadfast.queue.Worker;
import dev.steadfast.queue.events.WorkerEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The incident, replayed on a fresh embedded MariaDB with {@code wait_timeout=3}: a worker runs a mix of
 * jobs (successes with a database effect, retries, jobs that fail for good) while the queue goes quiet
 * past wait_timeout, its connections are KILLed, and the server is SIGKILLed and restarted. The report
 * says what became of every job; the demo passes only when nothing was lost or duplicated and no
 * connection error reached a job.
 */
public final class Demo {
    static final int WAIT_TIMEOUT_SECONDS = 3;
    private static final int RECORDS_PER_WAVE = 20;
    private static final int FLAKY = 10;
    private static final int DOOMED = 5;
    private static final Duration FINISH_DEADLINE = Duration.ofMinutes(3);

    private final EmbeddedHome home;
    private final PrintWriter out;
    private final List<WorkerEvent> events = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private int step;

    public Demo(EmbeddedHome home, PrintWriter out) {
        this.home = home;
        this.out = out;
    }

    /** Runs the demo; true when the report holds (nothing lost, nothing surfaced). */
    public boolean run() throws Exception {
        MariaDbInstallation installation = home.installation();
        Path dir = Files.createTempDirectory(home.dir(), "demo-");
        try {
            Path data = dir.resolve("data");
            installation.copyTemplateTo(data);
            MariaDbProcess server = installation.server(
                    data,
                    dir,
                    PortAllocator.freePort(),
                    List.of("--wait-timeout=" + WAIT_TIMEOUT_SECONDS, "--interactive-timeout=" + WAIT_TIMEOUT_SECONDS));
            // Ctrl-C during the demo must not leave its server running
            Thread cleanup = new Thread(
                    () -> {
                        server.kill();
                        FileTrees.deleteQuietly(dir);
                    },
                    "steadfast-demo-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);
            server.start();
            try {
                say("fresh MariaDB " + MariaDbInstallation.VERSION.replace("mariadb-", "") + " on port " + server.port()
                        + " with wait_timeout=" + WAIT_TIMEOUT_SECONDS
                        + " s (the incident's idle timeout, compressed)");
                return runOn(server);
            } finally {
                server.stop();
                Runtime.getRuntime().removeShutdownHook(cleanup);
            }
        } finally {
            FileTrees.deleteQuietly(dir);
        }
    }

    private boolean runOn(MariaDbProcess server) throws Exception {
        String url = "jdbc:mariadb://127.0.0.1:" + server.port() + "/" + MariaDbInstallation.DATABASE;
        try (ResilientDatabase db = ResilientDatabase.builder()
                .jdbcUrl(url)
                .username(MariaDbInstallation.USER)
                .password(MariaDbInstallation.PASSWORD)
                .meterRegistry(metrics)
                .build()) {
            JobQueue queue = JobQueue.create(db);
            db.read(c ->
                    execute(c, "CREATE TABLE demo_ledger (job_id BIGINT NOT NULL PRIMARY KEY, task INT NOT NULL)"));
            Worker.Builder builder = Worker.builder(queue)
                    .concurrency(4)
                    .lease(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(20), Duration.ofMillis(300))
                    .shutdownGrace(Duration.ofSeconds(10))
                    .listener(events::add);
            DemoHandlers.all().forEach(builder::handler);
            Worker worker = builder.build();
            worker.start();
            try {
                int enqueued = script(queue, server, url);
                boolean finished = awaitFinished(queue);
                return report(db, queue, enqueued, finished);
            } finally {
                worker.stop();
                worker.awaitTermination(Duration.ofSeconds(30));
            }
        }
    }

    private int script(JobQueue queue, MariaDbProcess server, String url) throws Exception {
        List<JobRequest> first = new ArrayList<>(records(0, 20));
        for (int i = 0; i < FLAKY; i++) {
            first.add(JobRequest.of(DemoHandlers.FLAKY).payload(Map.of("n", i)).build());
        }
        for (int i = 0; i < DOOMED; i++) {
            first.add(JobRequest.of(DemoHandlers.DOOMED)
                    .maxAttempts(2)
                    .payload(Map.of("n", i))
                    .build());
        }
        queue.enqueueAll(first);
        say("enqueued " + first.size() + " jobs: " + RECORDS_PER_WAVE + " that write to a ledger, " + FLAKY
                + " that fail twice then succeed, " + DOOMED + " that always fail; a worker with 4 threads runs them");
        awaitFinished(queue);

        say("the queue goes quiet for " + (WAIT_TIMEOUT_SECONDS + 1)
                + " s, longer than wait_timeout: the server closes every idle connection");
        Thread.sleep((WAIT_TIMEOUT_SECONDS + 1) * 1000L);

        queue.enqueueAll(records(RECORDS_PER_WAVE, 300));
        Thread.sleep(700);
        say("while " + RECORDS_PER_WAVE + " more jobs run: KILL CONNECTION on all " + killAll(url)
                + " of the worker's connections");

        queue.enqueueAll(records(2 * RECORDS_PER_WAVE, 300));
        Thread.sleep(700);
        long killedAt = System.nanoTime();
        server.kill();
        Thread.sleep(1000);
        server.start();
        say("while " + RECORDS_PER_WAVE + " more jobs run: the server is SIGKILLed and restarted ("
                + Duration.ofNanos(System.nanoTime() - killedAt).toMillis() + " ms without a database)");
        return first.size() + 2 * RECORDS_PER_WAVE;
    }

    private static List<JobRequest> records(int from, long ms) {
        List<JobRequest> jobs = new ArrayList<>();
        for (int task = from; task < from + RECORDS_PER_WAVE; task++) {
            jobs.add(JobRequest.of(DemoHandlers.RECORD)
                    .payload(Map.of("task", task, "ms", ms))
                    .build());
        }
        return jobs;
    }

    /** KILLs every connection of the demo's user but the one doing the killing; returns how many. */
    private static int killAll(String url) throws SQLException {
        try (Connection admin =
                        DriverManager.getConnection(url, MariaDbInstallation.USER, MariaDbInstallation.PASSWORD);
                Statement s = admin.createStatement()) {
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT id FROM information_schema.processlist WHERE user = '"
                    + MariaDbInstallation.USER + "' AND id <> CONNECTION_ID()")) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            int killed = 0;
            for (long id : ids) {
                try {
                    s.execute("KILL CONNECTION " + id);
                    killed++;
                } catch (SQLException gone) {
                    // it ended by itself meanwhile
                }
            }
            return killed;
        }
    }

    private boolean awaitFinished(JobQueue queue) throws Exception {
        long deadline = System.nanoTime() + FINISH_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            QueueCounts c = queue.stats().total();
            if (c.pending() + c.scheduled() + c.running() == 0) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    private boolean report(ResilientDatabase db, JobQueue queue, int enqueued, boolean finished) throws SQLException {
        QueueCounts counts = queue.stats().total();
        long succeeded = counts.succeeded();
        long failed = counts.failed();
        long ledger = db.read(c -> count(c, "SELECT COUNT(*) FROM demo_ledger"));
        long retried = events.stream()
                .filter(e ->
                        e instanceof WorkerEvent.JobFinished f && f.result() == WorkerEvent.JobFinished.Result.RETRIED)
                .count();
        List<WorkerEvent.JobFinished> surfaced = events.stream()
                .filter(e -> e instanceof WorkerEvent.JobFinished f
                        && f.result() != WorkerEvent.JobFinished.Result.SUCCEEDED
                        && !DemoHandlers.DesignedFailure.class.getName().equals(f.errorClass()))
                .map(e -> (WorkerEvent.JobFinished) e)
                .toList();
        long records = 3L * RECORDS_PER_WAVE;
        long lost = enqueued - succeeded - failed;
        ConnectionHealth healing = db.connectionHealth();
        long resolutions = db.healingStats().commitResolutions().values().stream()
                .mapToLong(Long::longValue)
                .sum();

        out.println();
        out.println("Report");
        row("jobs enqueued", enqueued);
        row(
                "succeeded",
                succeeded,
                "(" + FLAKY + " of them after 2 designed failures; " + retried + " retries in all)");
        row("failed as designed", failed, "(each recorded in the failed-job log)");
        row("lost", lost, finished ? "" : "(not finished within " + FINISH_DEADLINE.toMinutes() + " min)");
        row("ledger rows", ledger, "(expected " + records + ": each effect exactly once)");
        row("dead connections replaced before use", healing.evictions(), "(found closed by the server when borrowed)");
        row("connection losses in flight", healing.losses(), "(statements or commits cut off)");
        row("... healed by replay", healing.heals(), "(" + resolutions + " interrupted commits resolved)");
        row("units of work given up", healing.gaveUp(), "");
        row(
                "errors surfaced to jobs",
                surfaced.size(),
                surfaced.isEmpty()
                        ? ""
                        : "first: " + surfaced.get(0).errorClass() + ": "
                                + surfaced.get(0).message());
        boolean ok = finished
                && lost == 0
                && failed == DOOMED
                && succeeded == enqueued - DOOMED
                && ledger == records
                && surfaced.isEmpty();
        out.println();
        out.println(
                ok
                        ? "OK: nothing lost, nothing duplicated, no connection error reached a job."
                        : "FAILED: the report above does not hold.");
        out.flush();
        return ok;
    }

    private void row(String label, long value, String note) {
        out.printf("  %-38s %6d  %s%n", label, value, note);
    }

    private void row(String label, long value) {
        row(label, value, "");
    }

    private void say(String line) {
        out.printf("%d. %s%n", ++step, line);
        out.flush();
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
        return null;
    }
}
