package dev.steadfast.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.internal.metrics.LabelBudget;
import dev.steadfast.queue.metrics.QueueGauges;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import dev.steadfast.testkit.PrivateMariaDb;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The queue's meters, read after a real worker run. */
class QueueMetricsTest {
    @RegisterExtension
    static final PrivateMariaDb DB = new PrivateMariaDb();

    private static double jobs(MeterRegistry registry, String queue, String type, String event) {
        var counter = registry.find("steadfast.jobs")
                .tags("queue", queue, "type", type, "event", event)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void jobsAreCountedByQueueTypeAndEventAndTimed() throws Exception {
        MariaDbServer server = DB.server();
        MeterRegistry registry = new SimpleMeterRegistry();
        try (ResilientDatabase db = ResilientDatabase.builder()
                .jdbcUrl(server.url(JdbcDriver.MARIADB))
                .username(server.user())
                .password(server.password())
                .meterRegistry(registry)
                .build()) {
            JobQueue queue = JobQueue.create(db);
            queue.enqueueAll(
                    Collections.nCopies(20, JobRequest.of("rec").queue("m").build()));
            queue.enqueue(JobRequest.of("fail")
                    .queue("m")
                    .maxAttempts(2)
                    .payload(Map.of("message", "no"))
                    .build());
            queue.enqueue(JobRequest.of("rec")
                    .queue("later")
                    .delay(Duration.ofHours(1))
                    .build());
            queue.enqueue(JobRequest.of("rec")
                    .queue("aged")
                    .runAt(Instant.now().minusSeconds(90))
                    .build());

            try (QueueGauges gauges = QueueGauges.start(db, registry, Duration.ofHours(1))) {
                gauges.sample();
                assertThat(registry.find("steadfast.queue.depth")
                                .tags("queue", "m", "state", "pending")
                                .gauge()
                                .value())
                        .isEqualTo(21);
                assertThat(registry.find("steadfast.queue.depth")
                                .tags("queue", "later", "state", "scheduled")
                                .gauge()
                                .value())
                        .isEqualTo(1);
                assertThat(registry.find("steadfast.queue.oldest.age")
                                .tags("queue", "aged")
                                .gauge()
                                .value())
                        .as("due 90 s ago")
                        .isBetween(85.0, 600.0);

                Worker worker = QueueTestSupport.fastWorker(queue, "m")
                        .handler(new Handlers.Recording("rec"))
                        .handler(new Handlers.Failing())
                        .build();
                worker.start();
                try {
                    await().atMost(Duration.ofSeconds(30))
                            .until(() -> queue.stats().queues().get("m").failed() == 1
                                    && queue.stats().queues().get("m").succeeded() == 20);
                    gauges.sample();
                    assertThat(registry.find("steadfast.workers").gauge().value())
                            .isGreaterThanOrEqualTo(1);
                    assertThat(queue.browser().workers(Duration.ofMinutes(1)))
                            .anyMatch(w -> w.id().equals(worker.id()) && w.alive());
                    assertThat(registry.find("steadfast.outage")
                                    .tag("worker", worker.id())
                                    .gauge()
                                    .value())
                            .isZero();
                } finally {
                    worker.stop();
                    worker.awaitTermination(Duration.ofSeconds(20));
                }
                assertThat(queue.browser().workers(Duration.ofMinutes(1)))
                        .as("a stopped worker leaves the list")
                        .noneMatch(w -> w.id().equals(worker.id()));
                gauges.sample();
                assertThat(registry.find("steadfast.queue.depth")
                                .tags("queue", "m", "state", "pending")
                                .gauge()
                                .value())
                        .as("a drained queue reports zero instead of vanishing")
                        .isZero();
                assertThat(registry.find("steadfast.queue.oldest.age")
                                .tags("queue", "m")
                                .gauge()
                                .value())
                        .isZero();
            }

            assertThat(jobs(registry, "m", "rec", "enqueued")).isEqualTo(20);
            assertThat(jobs(registry, "m", "fail", "enqueued")).isEqualTo(1);
            assertThat(jobs(registry, "later", "rec", "enqueued")).isEqualTo(1);
            assertThat(jobs(registry, "m", "rec", "started")).isEqualTo(20);
            assertThat(jobs(registry, "m", "rec", "succeeded")).isEqualTo(20);
            assertThat(jobs(registry, "m", "fail", "started")).isEqualTo(2);
            assertThat(jobs(registry, "m", "fail", "retried")).isEqualTo(1);
            assertThat(jobs(registry, "m", "fail", "failed")).isEqualTo(1);
            assertThat(registry.find("steadfast.job.duration")
                            .tags("queue", "m", "type", "rec", "result", "succeeded")
                            .timer()
                            .count())
                    .isEqualTo(20);
            assertThat(registry.find("steadfast.claim.batch.size").summary().totalAmount())
                    .isEqualTo(22);
            assertThat(registry.find("steadfast.claim.latency").timer().count()).isGreaterThan(0);
        }
    }

    @Test
    void producersCannotGrowTheLabelsWithoutEnd() throws Exception {
        MariaDbServer server = DB.server();
        MeterRegistry registry = new SimpleMeterRegistry();
        try (ResilientDatabase db = ResilientDatabase.builder()
                .jdbcUrl(server.url(JdbcDriver.MARIADB))
                .username(server.user())
                .password(server.password())
                .meterRegistry(registry)
                .build()) {
            JobQueue queue = JobQueue.create(db).withMetricLabelLimit(5);
            List<JobRequest> many = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                many.add(JobRequest.of("t" + i)
                        .queue("spam-" + i)
                        .delay(Duration.ofHours(1))
                        .build());
            }
            queue.enqueueAll(many);
            var queues = registry.find("steadfast.jobs").tag("event", "enqueued").counters().stream()
                    .map(c -> c.getId().getTag("queue"))
                    .collect(Collectors.toSet());
            assertThat(queues).hasSize(6).contains(LabelBudget.OTHER);
            double total = registry.find("steadfast.jobs").tag("event", "enqueued").counters().stream()
                    .filter(c -> c.getId().getTag("queue").startsWith("spam-")
                            || c.getId().getTag("queue").equals("_other"))
                    .mapToDouble(Counter::count)
                    .sum();
            assertThat(total).as("folded, not lost").isEqualTo(12);

            try (QueueGauges gauges = QueueGauges.start(db, registry, Duration.ofHours(1), 3)) {
                gauges.sample();
                var depth = registry.find("steadfast.queue.depth")
                        .tag("state", "scheduled")
                        .gauges();
                assertThat(depth).hasSize(4);
                assertThat(depth.stream().mapToDouble(Gauge::value).sum()).isGreaterThanOrEqualTo(12);
            }
        }
    }

    @Test
    void payloadsOverTheLimitAreRefusedBeforeAnythingIsWritten() throws Exception {
        MariaDbServer server = DB.server();
        try (ResilientDatabase db = ResilientDatabase.builder()
                .jdbcUrl(server.url(JdbcDriver.MARIADB))
                .username(server.user())
                .password(server.password())
                .build()) {
            JobQueue queue = JobQueue.create(db).withMaxPayloadBytes(1000);
            long before =
                    queue.stats().total().pending() + queue.stats().total().scheduled();
            Assertions.assertThatThrownBy(() -> queue.enqueue(JobRequest.of("big")
                            .queue("limits")
                            .payload(Map.of("s", "\u00e9".repeat(600)))
                            .build())) // 608 chars, 1208 bytes
                    .isInstanceOf(PayloadTooLargeException.class)
                    .hasMessageContaining("more than the maximum of 1000 bytes")
                    .satisfies(e ->
                            assertThat(((PayloadTooLargeException) e).bytes()).isEqualTo(1208));
            Assertions.assertThatThrownBy(() -> queue.enqueueAll(List.of(
                            JobRequest.of("ok").queue("limits").build(),
                            JobRequest.of("big")
                                    .queue("limits")
                                    .payloadJson("{\"s\": \"" + "x".repeat(2000) + "\"}")
                                    .build())))
                    .as("a batch is all or nothing")
                    .isInstanceOf(PayloadTooLargeException.class);
            assertThat(queue.stats().total().pending() + queue.stats().total().scheduled())
                    .isEqualTo(before);
            assertThat(queue.enqueue(JobRequest.of("small")
                            .queue("limits")
                            .payload(Map.of("s", "x".repeat(500)))
                            .build()))
                    .isPositive();
        }
    }
}
