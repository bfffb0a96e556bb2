package dev.steadfast.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.testkit.FaultProxy;
import dev.steadfast.testkit.GaleraCluster;
import dev.steadfast.testkit.GaleraNode;
import dev.steadfast.testkit.JdbcDriver;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Transactional ledger jobs on a three-node Galera cluster, run by two worker JVMs (one per driver) that name all
 * three nodes in their URL, while connections are KILLed on every node every 100-300 ms, the writer node is SIGKILLed
 * and restarted twice, and a node is cut off from the cluster for 10 s. Beside them, a batch of 10,000 members with two
 * callbacks and a diamond workflow with a 1,000-wide fan-out ({@link FlowWorkload}) run through the same faults.
 * Afterwards every job has succeeded, the ledger holds each job exactly once, each callback and the fan-in ran once
 * (the fan-in after all its parents), and no handler saw a connection error. Size: -Dsteadfast.galera.chaos.jobs,
 * -Dsteadfast.galera.chaos.members, -Dsteadfast.galera.chaos.fanout.
 */
class GaleraChaosTest {
    private static final int JOBS = Integer.getInteger("steadfast.galera.chaos.jobs", 10_000);
    private static final FlowWorkload FLOWS = new FlowWorkload(
            "galera-chaos",
            Integer.getInteger("steadfast.galera.chaos.members", 10_000),
            Integer.getInteger("steadfast.galera.chaos.fanout", 1_000));
    /** Ledger rows once everything ran: the plain jobs, and the batch's and the diamond's. */
    private static final long LEDGER = JOBS + FLOWS.ledgerRows();

    @Test
    void everyJobSucceedsExactlyOnceThroughNodeDeathsAPartitionAndKills() throws Exception {
        GaleraCluster cluster = GaleraCluster.forTests();
        GaleraNode reader = cluster.node(3); // the node no fault touches: counts and checks go through it
        reader.execute(
                "DROP TABLE IF EXISTS ledger",
                "CREATE TABLE ledger (job_id BIGINT PRIMARY KEY, at TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP(3))");
        String name = "galera-chaos";
        AtomicBoolean chaos = new AtomicBoolean(true);
        Faults faults = new Faults();
        try (ResilientDatabase db = ResilientDatabase.builder()
                .jdbcUrl(cluster.url(JdbcDriver.MARIADB))
                .username(reader.user())
                .password(reader.password())
                .build()) {
            JobQueue queue = JobQueue.create(db);
            for (int start = 0; start < JOBS; start += 1000) {
                List<JobRequest> batch = new ArrayList<>();
                for (int i = start; i < Math.min(JOBS, start + 1000); i++) {
                    batch.add(
                            JobRequest.of("ledger").queue(name).maxAttempts(25).build());
                }
                queue.enqueueAll(batch);
            }
            FLOWS.enqueue(queue);
            try (WorkerProcess one = WorkerProcess.start(
                            reader,
                            cluster.url(JdbcDriver.MARIADB),
                            name,
                            10,
                            4,
                            WorkerProcess.logFile("galera-chaos-worker-1").toPath());
                    WorkerProcess two = WorkerProcess.start(
                            reader,
                            cluster.url(JdbcDriver.MYSQL),
                            name,
                            10,
                            4,
                            WorkerProcess.logFile("galera-chaos-worker-2").toPath())) {
                Thread injector = new Thread(() -> injectFaults(cluster, chaos, faults));
                injector.start();
                long finished;
                try {
                    await("every job, the batch and the diamond finished, through every fault")
                            .atMost(Duration.ofMinutes(10))
                            .pollInterval(Duration.ofSeconds(1))
                            .ignoreExceptions() // the node is down or cut off
                            .until(() -> reader.queryLong("SELECT COUNT(*) FROM ledger") >= LEDGER
                                    && faults.done()
                                    && FLOWS.done(queue));
                    finished = reader.queryLong("SELECT COUNT(*) FROM ledger");
                } finally {
                    chaos.set(false);
                    injector.join();
                }
                assertThat(one.alive() && two.alive())
                        .as("both worker JVMs survived")
                        .isTrue();
                System.err.printf(
                        "galera chaos: %d jobs and a batch and a diamond, %d connection KILLs, %d node SIGKILLs,"
                                + " %d partitions; %d ledger rows%n",
                        JOBS, faults.kills.get(), faults.nodeKills.get(), faults.partitions.get(), finished);
            }
            cluster.heal();
            assertThat(faults.nodeKills.get()).isEqualTo(2);
            assertThat(faults.partitions.get()).isEqualTo(1);
            assertThat(faults.kills.get()).isGreaterThan(10);
            assertThat(reader.queryLong(
                            "SELECT COUNT(*) FROM sf_job WHERE state <> 'succeeded' AND queue = '" + name + "'"))
                    .as("every job succeeded")
                    .isZero();
            assertThat(reader.queryLong("SELECT COUNT(*) FROM ledger"))
                    .as("each job's effect exactly once")
                    .isEqualTo(LEDGER);
            assertThat(reader.queryLong("SELECT COUNT(*) FROM sf_job j LEFT JOIN ledger l ON l.job_id = j.id"
                            + " WHERE j.queue = '" + name + "' AND j.type = 'ledger' AND l.job_id IS NULL"))
                    .isZero();
            FLOWS.verify(queue, reader);
            assertThat(reader.queryLong("SELECT COUNT(*) FROM sf_job WHERE queue = '" + name
                            + "' AND last_error IS NOT NULL" + " AND last_error NOT LIKE '%LeaseExpiredException%'"))
                    .as("no handler saw a connection error")
                    .isZero();
            reader.execute("DELETE FROM sf_job WHERE queue = '" + name + "'", "DROP TABLE ledger");
        }
    }

    /**
     * A worker naming all three nodes starts while its first node is SIGKILLed at the moment it checks the schema (the
     * issue's live case: "FlywaySqlException: Unable to turn on auto-commit ... Connection is closed"): it waits, goes
     * on through the next node, and runs a job. Both drivers.
     */
    @Test
    void aWorkerWhoseFirstNodeDiesDuringItsSchemaCheckStartsOnTheNext() throws Exception {
        GaleraCluster cluster = GaleraCluster.forTests();
        GaleraNode first = cluster.node(1);
        GaleraNode reader = cluster.node(3);
        try (ResilientDatabase direct = ResilientDatabase.builder()
                .jdbcUrl(cluster.url(JdbcDriver.MARIADB))
                .username(reader.user())
                .password(reader.password())
                .build()) {
            JobQueue.create(direct);
        }
        for (JdbcDriver driver : JdbcDriver.values()) {
            String name = QueueTestSupport.uniqueQueue("galera-start");
            try (FaultProxy proxy = FaultProxy.inFrontOf(first)) {
                String url = cluster.url(driver)
                        .replace("127.0.0.1:" + first.port() + ",", "127.0.0.1:" + proxy.port() + ",");
                proxy.armCutAtQuery("sf_schema_history", first::kill);
                try (ResilientDatabase db = ResilientDatabase.builder()
                        .jdbcUrl(url)
                        .username(reader.user())
                        .password(reader.password())
                        .waitForDatabase(Duration.ofSeconds(60))
                        .build()) {
                    JobQueue queue = JobQueue.existing(db);
                    assertThat(proxy.commitCutsFired())
                            .as("the first node died during the schema check")
                            .isEqualTo(1);
                    long id = queue.enqueue(JobRequest.of("noop").queue(name).build());
                    Worker worker = QueueTestSupport.fastWorker(queue, name)
                            .handler(new Handlers.Recording("noop"))
                            .build();
                    worker.start();
                    try {
                        Awaitility.await()
                                .atMost(Duration.ofSeconds(60))
                                .until(() -> queue.browser()
                                        .job(id)
                                        .map(j -> j.status() == JobStatus.SUCCEEDED)
                                        .orElse(false));
                    } finally {
                        worker.stop();
                        worker.awaitTermination(Duration.ofSeconds(30));
                    }
                }
            } finally {
                first.start();
                cluster.awaitHealthy(Duration.ofSeconds(120));
            }
        }
    }

    /** What was done to the cluster. */
    private static final class Faults {
        final AtomicInteger kills = new AtomicInteger();
        final AtomicInteger nodeKills = new AtomicInteger();
        final AtomicInteger partitions = new AtomicInteger();

        boolean done() {
            return nodeKills.get() >= 2 && partitions.get() >= 1;
        }
    }

    /**
     * At a quarter of the ledger the first node (every worker's writer) is SIGKILLed and restarted; at half the
     * second node (the writer while the first was away, a standby again once it is back) is cut off for 10 s; at three
     * quarters the first node dies again. Throughout, in a thread of its own, random sessions of the workers are
     * KILLed on whichever node they are.
     */
    private static void injectFaults(GaleraCluster cluster, AtomicBoolean chaos, Faults faults) {
        Thread killer = new Thread(() -> killSessions(cluster, chaos, faults));
        killer.start();
        GaleraNode reader = cluster.node(3);
        try {
            while (chaos.get()) {
                Thread.sleep(200);
                long done;
                try {
                    done = reader.queryLong("SELECT COUNT(*) FROM ledger");
                } catch (SQLException e) {
                    continue;
                }
                if ((faults.nodeKills.get() == 0 && done > LEDGER / 4)
                        || (faults.nodeKills.get() == 1 && done > 3 * LEDGER / 4)) {
                    cluster.node(1).kill();
                    Thread.sleep(2000);
                    cluster.node(1).start();
                    faults.nodeKills.incrementAndGet();
                } else if (faults.partitions.get() == 0 && done > LEDGER / 2) {
                    cluster.node(2).isolate();
                    Thread.sleep(10_000);
                    cluster.node(2).rejoin();
                    faults.partitions.incrementAndGet();
                }
            }
            killer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void killSessions(GaleraCluster cluster, AtomicBoolean chaos, Faults faults) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (chaos.get()) {
            try {
                Thread.sleep(100 + random.nextInt(200));
                for (GaleraNode node : cluster.nodes()) {
                    List<Long> ids = node.isRunning() ? node.connectionIds() : List.of();
                    if (!ids.isEmpty() && node.killConnection(ids.get(random.nextInt(ids.size())))) {
                        faults.kills.incrementAndGet();
                        break;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (SQLException | RuntimeException e) {
                // a node is down or cut off for a moment; keep going
            }
        }
    }
}
