package dev.steadfast.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.metrics.QueueGauges;
import dev.steadfast.testkit.MariaDbServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Jobs no live worker will start, on a real server with a real worker: a type its workers do not handle, a queue no
 * worker serves; named by {@link JobQueue#stranded()}, the enqueue hint, what a worker leaves behind and the gauge.
 * (No worker alive at all, and the costs at a large backlog: {@code BacklogPlansTest}, which has a schema of its own.)
 */
@ExtendWith(SharedQueue.class)
class StrandedJobsTest {
    private static final MariaDbServer SERVER = MariaDbServer.shared();

    @SharedQueue.Open
    private static ResilientDatabase db;

    @SharedQueue.Open
    private static JobQueue queue;

    @Test
    void jobsOfATypeOrQueueNoLiveWorkerServesAreNamed() throws Exception {
        // names sorting first: other tests leave due jobs in queues of their own, stranded too while this worker lives,
        // and a report names at most 50 queues and types, in order
        String served = QueueTestSupport.uniqueQueue("0served");
        String unserved = QueueTestSupport.uniqueQueue("0unserved");
        Handlers.Recording mail = new Handlers.Recording("sendmail");
        Worker worker = QueueTestSupport.fastWorker(queue, served).handler(mail).build();
        worker.start();
        try {
            long handled = queue.enqueue(JobRequest.of("sendmail").queue(served).build());
            await().atMost(Duration.ofSeconds(20)).until(() -> mail.ran.contains(handled));
            queue.enqueue(JobRequest.of("sendmail-typo").queue(served).build());
            queue.enqueue(JobRequest.of("sendmail-typo").queue(served).build());
            queue.enqueue(JobRequest.of("sendmail").queue(unserved).build());
            queue.enqueue(JobRequest.of("sendmail-typo")
                    .queue(served)
                    .delay(Duration.ofHours(1))
                    .build()); // not due

            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(mine(queue.stranded(), served, unserved))
                            .extracting(
                                    StrandedJobs::queue,
                                    StrandedJobs::type,
                                    StrandedJobs::due,
                                    StrandedJobs::queueServed)
                            .containsExactly(
                                    Tuple.tuple(served, "sendmail-typo", 2L, true),
                                    Tuple.tuple(unserved, "sendmail", 1L, false)));
            StrandedJobs typo = mine(queue.stranded(), served, unserved).get(0);
            assertThat(typo.describe())
                    .matches("2 due job\\(s\\) of type sendmail-typo in queue " + served
                            + ", oldest waiting \\d+ s: no live worker handles sendmail-typo in " + served);

            Optional<String> hint = queue.unhandledHint(served, "sendmail-typo");
            assertThat(hint)
                    .get()
                    .asString()
                    .startsWith(
                            "no live worker handles type sendmail-typo in queue " + served + " (they handle sendmail)")
                    .contains("check the type's spelling");
            assertThat(queue.unhandledHint(unserved, "sendmail"))
                    .get()
                    .asString()
                    .startsWith("no live worker serves queue " + unserved + " (live workers serve ")
                    .contains(served);
            assertThat(queue.unhandledHint(served, "sendmail"))
                    .as("a worker handles it")
                    .isEmpty();

            assertThat(queue.dueOfOtherTypes(List.of(served), worker.types())).isEqualTo(Map.of("sendmail-typo", 2L));

            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (QueueGauges gauges = QueueGauges.start(db, registry, Duration.ofHours(1))) {
                gauges.sample();
                assertThat(registry.get("steadfast.jobs.stranded")
                                .tag("queue", served)
                                .tag("type", "sendmail-typo")
                                .gauge()
                                .value())
                        .isEqualTo(2.0);
                assertThat(registry.get("steadfast.jobs.stranded")
                                .tag("queue", unserved)
                                .tag("type", "sendmail")
                                .gauge()
                                .value())
                        .isEqualTo(1.0);
                assertThat(registry.find("steadfast.jobs.stranded")
                                .tag("queue", served)
                                .tag("type", "sendmail")
                                .gauge())
                        .as("handled jobs are not stranded")
                        .isNull();
            }
        } finally {
            worker.stop();
            assertThat(worker.awaitTermination(Duration.ofSeconds(20))).isTrue();
        }
    }

    private static List<StrandedJobs> mine(StrandedReport report, String... queues) {
        assertThat(report.liveWorkers()).isPositive();
        return report.jobs().stream()
                .filter(j -> List.of(queues).contains(j.queue()))
                .toList();
    }
}
