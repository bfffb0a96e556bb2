package dev.steadfast.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import dev.steadfast.testkit.PrivateMariaDb;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two batches of 300 members each run by two workers in one JVM (one per JDBC driver, 8 threads each) while their
 * connections are KILLed every 50-150 ms: every member's effect is written once, each batch ends once, and each
 * callback is enqueued once and runs once. A member's handler writes its ledger row in the transaction that records
 * its success, so a member run twice would be seen (the ledger's primary key would refuse the second row).
 */
class BatchFaultTest {
    private static final int MEMBERS = 300;

    @RegisterExtension
    static final PrivateMariaDb DB = new PrivateMariaDb();

    private static TransactionalJobHandler<JsonNode> ledger(String type, String table) {
        return new TransactionalJobHandler<>() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public Class<JsonNode> payloadType() {
                return JsonNode.class;
            }

            @Override
            public void handle(JobContext context, JsonNode payload, Connection tx) throws SQLException {
                try (PreparedStatement s = tx.prepareStatement("INSERT INTO " + table + " (job_id) VALUES (?)")) {
                    s.setLong(1, context.jobId());
                    s.executeUpdate();
                }
            }
        };
    }

    @Test
    void everyMemberOnceAndEachCallbackOnceWhileConnectionsAreKilled() throws Exception {
        MariaDbServer server = DB.server();
        server.execute(
                "CREATE TABLE member_ledger (job_id BIGINT PRIMARY KEY)",
                "CREATE TABLE callback_ledger (job_id BIGINT PRIMARY KEY)");
        String name = "batch-faults";
        AtomicBoolean faults = new AtomicBoolean(true);
        AtomicInteger kills = new AtomicInteger();
        try (ResilientDatabase one = QueueTestSupport.database(server, JdbcDriver.MARIADB);
                ResilientDatabase two = QueueTestSupport.database(server, JdbcDriver.MYSQL)) {
            JobQueue queue = JobQueue.create(one);
            JobQueue other = JobQueue.existing(two);
            BatchEnqueued[] batches = new BatchEnqueued[2];
            for (int b = 0; b < 2; b++) {
                BatchRequest batch = queue.batch()
                        .onSuccess(JobRequest.of("callback")
                                .queue(name)
                                .payload(Map.of("b", b))
                                .build())
                        .onComplete(JobRequest.of("callback").queue(name).build())
                        .onFailure(JobRequest.of("callback").queue(name).build());
                for (int i = 0; i < MEMBERS; i++) {
                    batch.add(
                            JobRequest.of("member").queue(name).maxAttempts(50).build());
                }
                batches[b] = batch.enqueue();
            }
            List<Worker> workers = List.of(worker(queue, name), worker(other, name));
            Thread injector = new Thread(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (faults.get()) {
                    try {
                        Thread.sleep(50 + random.nextInt(100)); // the pace of the fault injector
                        List<Long> ids = server.connectionIds();
                        if (!ids.isEmpty() && server.killConnection(ids.get(random.nextInt(ids.size())))) {
                            kills.incrementAndGet();
                        }
                    } catch (InterruptedException e) {
                        return;
                    } catch (SQLException | RuntimeException e) {
                        // a connection gone by itself: keep going
                    }
                }
            });
            workers.forEach(Worker::start);
            injector.start();
            try {
                await("both batches and their callbacks done, through the KILLs")
                        .atMost(Duration.ofMinutes(5))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() ->
                                server.queryLong("SELECT COUNT(*) FROM callback_ledger") >= 4 && kills.get() >= 20);
            } finally {
                faults.set(false);
                injector.join();
            }
            // proves an absence: a callback enqueued twice would run within this time
            Thread.sleep(1000);
            workers.forEach(Worker::stop);
            assertThat(server.queryLong("SELECT COUNT(*) FROM member_ledger"))
                    .as("every member's effect once")
                    .isEqualTo(2L * MEMBERS);
            assertThat(server.queryLong("SELECT COUNT(*) FROM sf_job WHERE type = 'member' AND state <> 'succeeded'"))
                    .isZero();
            for (BatchEnqueued batch : batches) {
                BatchView view = queue.batches().find(batch.id()).orElseThrow();
                assertThat(view.state()).isEqualTo(BatchState.SUCCEEDED);
                assertThat(view.succeeded()).as("counted once per member").isEqualTo(MEMBERS);
                assertThat(view.failed() + view.cancelled() + view.pending() + view.running())
                        .isZero();
                assertThat(view.onFailureJob()).isNull();
                assertThat(server.queryLong("SELECT COUNT(*) FROM sf_job WHERE callback_of = " + batch.id()))
                        .as("on_success and on_complete enqueued once each")
                        .isEqualTo(2);
            }
            assertThat(server.queryLong("SELECT COUNT(*) FROM callback_ledger"))
                    .as("each callback ran once")
                    .isEqualTo(4);
            System.err.printf("batch faults: %d members, %d connection KILLs%n", 2 * MEMBERS, kills.get());
        }
    }

    private static Worker worker(JobQueue queue, String name) {
        return QueueTestSupport.fastWorker(queue, name)
                .concurrency(8)
                .handler(ledger("member", "member_ledger"))
                .handler(ledger("callback", "callback_ledger"))
                .build();
    }
}
