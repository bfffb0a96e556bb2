package dev.steadfast.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A worker JVM is SIGKILLed in the middle of its jobs. Another worker runs them again once their
 * leases expire; nothing is lost, and the re-runs show in the jobs' attempts.
 */
class CrashRecoveryTest {
    private static final MariaDbServer SERVER = MariaDbServer.shared();

    @BeforeAll
    static void slowRunsTable() throws Exception {
        SERVER.execute("CREATE TABLE IF NOT EXISTS slow_runs (id BIGINT AUTO_INCREMENT PRIMARY KEY, job_id BIGINT,"
                + " attempt INT, pid BIGINT)");
    }

    @Test
    void sigtermLetsRunningJobsFinishBeforeTheWorkerExits() throws Exception {
        String name = QueueTestSupport.uniqueQueue("sigterm");
        try (ResilientDatabase db = QueueTestSupport.database(SERVER, JdbcDriver.MARIADB)) {
            JobQueue queue = JobQueue.create(db);
            long id = queue.enqueue(JobRequest.of("slow")
                    .queue(name)
                    .payload(Map.of("ms", 3000))
                    .build());
            try (WorkerProcess worker = WorkerProcess.start(
                    SERVER,
                    SERVER.url(JdbcDriver.MARIADB),
                    name,
                    30,
                    2,
                    WorkerProcess.logFile("sigterm-worker").toPath())) {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> queue.stats().queues().get(name).running() == 1);
                worker.terminate(); // supervisor stops the daemon mid-job
            }
            assertThat(SERVER.queryLong("SELECT COUNT(*) FROM sf_job WHERE id = " + id + " AND state = 'succeeded'"))
                    .as("the running job finished within the grace period before the JVM exited")
                    .isEqualTo(1);
            assertThat(SERVER.queryLong("SELECT attempts FROM sf_job WHERE id = " + id))
                    .isEqualTo(1);
        }
    }

    @Test
    void jobsOfAKilledWorkerAreRunAgainAfterTheirLeasesExpire() throws Exception {
        String name = QueueTestSupport.uniqueQueue("crash");
        try (ResilientDatabase db = QueueTestSupport.database(SERVER, JdbcDriver.MARIADB)) {
            JobQueue queue = JobQueue.create(db);
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ids.add(queue.enqueue(JobRequest.of("slow")
                        .queue(name)
                        .maxAttempts(3)
                        .payload(Map.of("ms", 3000))
                        .build()));
            }
            try (WorkerProcess doomed = WorkerProcess.start(
                    SERVER,
                    SERVER.url(JdbcDriver.MARIADB),
                    name,
                    2,
                    4,
                    WorkerProcess.logFile("crash-worker").toPath())) {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> queue.stats().queues().get(name).running() == 4);
                // every handler has begun (claimed is not yet started: a claimed job may wait for its thread)
                String started = "SELECT COUNT(*) FROM slow_runs WHERE job_id IN ("
                        + ids.stream().map(String::valueOf).collect(Collectors.joining(",")) + ")";
                await().atMost(Duration.ofSeconds(60)).until(() -> SERVER.queryLong(started) == 4);
                doomed.kill(); // mid-job: no outcome, no lease release
            }
            assertThat(queue.stats().queues().get(name).running())
                    .as("still leased to the dead worker")
                    .isEqualTo(4);

            Worker rescuer = QueueTestSupport.fastWorker(queue, name)
                    .lease(Duration.ofSeconds(2))
                    .handler(new WorkerProcessMain.Slow(db))
                    .concurrency(4)
                    .build();
            rescuer.start();
            try {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> queue.stats().queues().get(name).succeeded() == 4);
            } finally {
                rescuer.stop();
                rescuer.awaitTermination(Duration.ofSeconds(30));
            }
            for (long id : ids) {
                assertThat(SERVER.queryLong("SELECT attempts FROM sf_job WHERE id = " + id))
                        .as("job " + id)
                        .isEqualTo(2);
                assertThat(SERVER.queryLong("SELECT COUNT(DISTINCT pid) FROM slow_runs WHERE job_id = " + id))
                        .isEqualTo(2);
            }
        }
    }
}
