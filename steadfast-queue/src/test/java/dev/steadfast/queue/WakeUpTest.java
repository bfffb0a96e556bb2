package dev.steadfast.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.internal.wakeup.DoorbellListener;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How an idle worker learns of a job: a producer in another process on the same host rings the worker's doorbell
 * after its commit; without a doorbell, the worker's idle poll (one index read) finds it.
 */
@ExtendWith(SharedQueue.class)
class WakeUpTest {
    private static final MariaDbServer SERVER = MariaDbServer.shared();

    @BeforeAll
    static void slowRunsTable() throws Exception {
        SERVER.execute("CREATE TABLE IF NOT EXISTS slow_runs (id BIGINT AUTO_INCREMENT PRIMARY KEY, job_id BIGINT,"
                + " attempt INT, pid BIGINT)");
    }

    @Test
    void aJobEnqueuedInAnotherProcessWakesAWorkerThatWouldPollOnlyInAMinute() throws Exception {
        String name = QueueTestSupport.uniqueQueue("bell");
        // the worker's JVM polls once at start, then only every 60 s: only its doorbell can start these jobs in time
        try (WorkerProcess worker = WorkerProcess.start(
                        SERVER,
                        SERVER.url(JdbcDriver.MARIADB),
                        name,
                        30,
                        2,
                        60_000,
                        WorkerProcess.logFile("doorbell-worker").toPath());
                ResilientDatabase db = QueueTestSupport.database(SERVER, JdbcDriver.MYSQL)) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> SERVER.queryLong("SELECT COUNT(*) FROM sf_worker WHERE queues = '" + name
                                    + "' AND wake_port IS NOT NULL")
                            == 1);
            Thread.sleep(500); // past the worker's first (empty) claim: from here on it waits out its 60 s poll
            JobQueue producer = JobQueue.create(db);
            for (int i = 0; i < 3; i++) { // one at a time, as a web application enqueues
                long id = producer.enqueue(JobRequest.of("slow")
                        .queue(name)
                        .payload(Map.of("ms", 1))
                        .build());
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> SERVER.queryLong(
                                        "SELECT COUNT(*) FROM sf_job WHERE id = " + id + " AND state = 'succeeded'")
                                == 1);
            }
            assertThat(SERVER.queryLong(
                            "SELECT COUNT(DISTINCT pid) FROM slow_runs WHERE job_id IN (SELECT id FROM sf_job"
                                    + " WHERE queue = '" + name + "')"))
                    .as("run by the worker's JVM")
                    .isEqualTo(1);
            worker.terminate(); // as supervisor stops it: the worker leaves sf_worker on its way out
        }
        assertThat(SERVER.queryLong("SELECT COUNT(*) FROM sf_worker WHERE queues = '" + name + "'"))
                .as("gone when it stopped")
                .isZero();
    }

    @Test
    void withoutADoorbellTheIdlePollFindsAJobFromAnotherQueueObject() throws Exception {
        String name = QueueTestSupport.uniqueQueue("poll");
        try (ResilientDatabase workerDb = QueueTestSupport.database(SERVER, JdbcDriver.MARIADB);
                ResilientDatabase producerDb = QueueTestSupport.database(SERVER, JdbcDriver.MARIADB)) {
            AtomicInteger runs = new AtomicInteger();
            Worker worker = Worker.builder(JobQueue.create(workerDb))
                    .queues(List.of(name))
                    .listenForWakeUps(false)
                    .handler(JobHandler.of("count", String.class, (context, payload) -> runs.incrementAndGet()))
                    .build();
            worker.start();
            try {
                await().atMost(Duration.ofSeconds(30))
                        .until(() ->
                                SERVER.queryLong("SELECT COUNT(*) FROM sf_worker WHERE queues = '" + name + "'") == 1);
                assertThat(SERVER.queryLong(
                                "SELECT COUNT(*) FROM sf_worker WHERE queues = '" + name + "' AND wake_port IS NULL"))
                        .as("no doorbell published")
                        .isEqualTo(1);
                // a queue object of its own shares no in-process wake-up with the worker, as another host would
                JobQueue producer = JobQueue.create(producerDb);
                producer.enqueue(JobRequest.of("count").queue(name).payload("x").build());
                await().atMost(Duration.ofSeconds(20)).until(() -> runs.get() == 1);
                assertThat(worker.doorbellRings()).isZero();
            } finally {
                worker.stop();
                assertThat(worker.awaitTermination(Duration.ofSeconds(30))).isTrue();
            }
        }
    }

    @Test
    void aDoorbellAnswersOnlyItsToken() throws Exception {
        AtomicInteger woken = new AtomicInteger();
        try (DoorbellListener bell = DoorbellListener.open(woken::incrementAndGet);
                DatagramChannel sender = DatagramChannel.open()) {
            InetSocketAddress target = new InetSocketAddress(
                    InetAddress.getLoopbackAddress(), bell.doorbell().port());
            sender.send(ByteBuffer.wrap("not the token".getBytes(StandardCharsets.US_ASCII)), target);
            String token = bell.doorbell().token();
            sender.send(
                    ByteBuffer.wrap(token.substring(0, token.length() - 1).getBytes(StandardCharsets.US_ASCII)),
                    target);
            await().atMost(Duration.ofSeconds(10)).until(() -> bell.refused() == 2);
            assertThat(woken.get()).isZero();
            sender.send(ByteBuffer.wrap(token.getBytes(StandardCharsets.US_ASCII)), target);
            await().atMost(Duration.ofSeconds(10)).until(() -> woken.get() == 1);
            assertThat(bell.rings()).isEqualTo(1);
            assertThat(token).hasSize(32);
        }
    }
}
