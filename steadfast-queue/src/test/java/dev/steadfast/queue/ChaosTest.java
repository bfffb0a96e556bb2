package dev.steadfast.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.testkit.FaultProxy;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import dev.steadfast.testkit.PrivateMariaDb;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 20,000 jobs of a transactional handler that appends its job id to a ledger with a unique key, run by
 * two worker JVMs through a fault proxy while, for the whole run, random worker connections are KILLed
 * every 100-300 ms, the proxy resets every connection now and then, and the server is SIGKILLed and
 * restarted twice. Afterwards every job has succeeded and the ledger holds each job exactly once. Meanwhile a schedule
 * ticks every second, ticked by both worker JVMs through the same faults: each tick is enqueued exactly once.
 * Size: -Dsteadfast.chaos.jobs (default 20000).
 */
class ChaosTest {
    private static final int JOBS = Integer.getInteger("steadfast.chaos.jobs", 20_000);

    @RegisterExtension
    static final PrivateMariaDb DB = new PrivateMariaDb();

    @Test
    void everyJobSucceedsExactlyOnceThroughKillsResetsAndRestarts() throws Exception {
        MariaDbServer server = DB.server();
        server.execute("CREATE TABLE ledger (job_id BIGINT PRIMARY KEY, at TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP(3))");
        String name = "chaos";
        AtomicBoolean chaos = new AtomicBoolean(true);
        AtomicInteger kills = new AtomicInteger();
        AtomicInteger resets = new AtomicInteger();
        AtomicInteger restarts = new AtomicInteger();
        try (ResilientDatabase db = QueueTestSupport.database(server, JdbcDriver.MARIADB);
                FaultProxy proxy = FaultProxy.inFrontOf(server)) {
            JobQueue queue = JobQueue.create(db);
            // nobody runs these jobs: the workers of both JVMs only tick the schedule (all missed ticks made up for,
            // so that one tick counts one job whatever the restarts cost)
            ScheduleView ticking = queue.schedule(Schedule.every(
                            "chaos-ticks",
                            Duration.ofSeconds(1),
                            JobRequest.of("tick").queue("chaos-ticks").build())
                    .missed(MissedTicks.ALL));
            for (int start = 0; start < JOBS; start += 1000) {
                List<JobRequest> batch = new ArrayList<>();
                for (int i = start; i < Math.min(JOBS, start + 1000); i++) {
                    batch.add(
                            JobRequest.of("ledger").queue(name).maxAttempts(25).build());
                }
                queue.enqueueAll(batch);
            }
            String viaProxy = server.urlVia(JdbcDriver.MARIADB, proxy.port());
            String viaProxyMysql = server.urlVia(JdbcDriver.MYSQL, proxy.port());
            try (WorkerProcess one = WorkerProcess.start(
                            server,
                            viaProxy,
                            name,
                            10,
                            4,
                            WorkerProcess.logFile("chaos-worker-1").toPath());
                    WorkerProcess two = WorkerProcess.start(
                            server,
                            viaProxyMysql,
                            name,
                            10,
                            4,
                            WorkerProcess.logFile("chaos-worker-2").toPath())) {
                Thread injector =
                        new Thread(() -> injectFaults(server, proxy, queue, name, chaos, kills, resets, restarts));
                injector.start();
                String counts;
                try {
                    // exact counts: stats() estimates above 10,000 jobs of a queue in a state
                    long finished = await("every job finished, through two restarts")
                            .atMost(Duration.ofMinutes(8))
                            .pollInterval(Duration.ofSeconds(1))
                            .ignoreExceptionsInstanceOf(SQLException.class) // the server is restarting
                            .until(
                                    () -> server.queryLong(
                                            "SELECT COUNT(*) FROM sf_job WHERE state IN ('succeeded', 'failed') AND queue = '"
                                                    + name + "'"),
                                    done -> done >= JOBS && restarts.get() >= 2);
                    counts = finished + " finished";
                } finally {
                    chaos.set(false);
                    injector.join();
                }
                // the pause waits for a tick under way (the row lock); after it, nothing ticks
                assertThat(queue.pauseSchedule("chaos-ticks")).isTrue();
                ScheduleView ticked = queue.schedules().stream()
                        .filter(v -> v.name().equals("chaos-ticks"))
                        .findFirst()
                        .orElseThrow();
                long ticks =
                        Duration.between(ticking.nextRun(), ticked.lastRun()).toSeconds() + 1;
                assertThat(ticks).as("the schedule ticked through the faults").isGreaterThan(10);
                assertThat(server.queryLong("SELECT COUNT(*) FROM sf_job WHERE queue = 'chaos-ticks'"))
                        .as("each tick of the schedule enqueued exactly once")
                        .isEqualTo(ticks);
                assertThat(server.queryLong("SELECT MAX(id) FROM sf_job WHERE queue = 'chaos-ticks'"))
                        .isEqualTo(ticked.lastJobId());
                assertThat(one.alive() && two.alive())
                        .as("both worker JVMs survived the chaos")
                        .isTrue();
                System.err.printf(
                        "chaos: %d jobs, %d connection KILLs, %d proxy resets, %d server restarts; counts %s%n",
                        JOBS, kills.get(), resets.get(), restarts.get(), counts);
            }
            assertThat(restarts.get()).isEqualTo(2);
            assertThat(kills.get()).isGreaterThan(10);
            assertThat(server.queryLong(
                            "SELECT COUNT(*) FROM sf_job WHERE state = 'succeeded' AND queue = '" + name + "'"))
                    .as("every job succeeded")
                    .isEqualTo(JOBS);
            assertThat(server.queryLong(
                            "SELECT COUNT(*) FROM sf_job WHERE state <> 'succeeded' AND queue = '" + name + "'"))
                    .isZero();
            assertThat(queue.stats().total().isEstimate("succeeded"))
                    .as("20,000 jobs in a state are estimated")
                    .isTrue();
            assertThat(server.queryLong("SELECT COUNT(*) FROM ledger"))
                    .as("each job's effect exactly once")
                    .isEqualTo(JOBS);
            assertThat(server.queryLong("SELECT COUNT(*) FROM sf_job j LEFT JOIN ledger l ON l.job_id = j.id"
                            + " WHERE j.queue = 'chaos' AND l.job_id IS NULL"))
                    .isZero();
            assertThat(server.queryLong("SELECT COUNT(*) FROM sf_job WHERE last_error IS NOT NULL"
                            + " AND last_error NOT LIKE '%LeaseExpiredException%'"))
                    .as("no handler saw a connection error")
                    .isZero();
        }
    }

    private static void injectFaults(
            MariaDbServer server,
            FaultProxy proxy,
            JobQueue queue,
            String name,
            AtomicBoolean chaos,
            AtomicInteger kills,
            AtomicInteger resets,
            AtomicInteger restarts) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long lastReset = System.nanoTime();
        while (chaos.get()) {
            try {
                Thread.sleep(100 + random.nextInt(200));
                long done = server.queryLong("SELECT COUNT(*) FROM ledger");
                if ((restarts.get() == 0 && done > JOBS / 3) || (restarts.get() == 1 && done > 2 * JOBS / 3)) {
                    server.kill();
                    Thread.sleep(500);
                    startAgain(server);
                    restarts.incrementAndGet();
                    continue;
                }
                if (System.nanoTime() - lastReset > Duration.ofSeconds(3).toNanos()) {
                    proxy.resetAll();
                    resets.incrementAndGet();
                    lastReset = System.nanoTime();
                }
                List<Long> ids = server.connectionIds();
                if (!ids.isEmpty() && server.killConnection(ids.get(random.nextInt(ids.size())))) {
                    kills.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (SQLException | RuntimeException e) {
                // the server is down for a moment; keep going
            }
        }
    }

    /**
     * Starts the SIGKILLed server again. A start that fails (on a loaded machine, the killed server's files or port
     * not yet released) is said and tried again: the server must come back, or the workers are tested against
     * nothing for the rest of the run.
     */
    private static void startAgain(MariaDbServer server) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                server.start();
                return;
            } catch (RuntimeException e) {
                System.err.printf(
                        "chaos: restart %d of the server failed, trying again: %s%n", attempt, e.getMessage());
                if (attempt == 10) {
                    throw e;
                }
                Thread.sleep(1000);
            }
        }
    }
}
