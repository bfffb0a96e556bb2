package dev.steadfast.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.events.WorkerEvent;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The queue's behaviour on a real server: outcomes, retries, the failed-job log, keys, order, delays. */
@ExtendWith(SharedQueue.class)
class QueueBehaviourTest {
    private static final MariaDbServer SERVER = MariaDbServer.shared();

    @SharedQueue.Open
    private static ResilientDatabase db;

    @SharedQueue.Open
    private static JobQueue queue;

    @Test
    void jobsRunAndSucceed() throws Exception {
        String name = QueueTestSupport.uniqueQueue("ok");
        Handlers.Recording noop = new Handlers.Recording("noop");
        List<Long> ids = queue.enqueueAll(List.of(
                JobRequest.of("noop").queue(name).build(),
                JobRequest.of("noop").queue(name).payload(Map.of("a", 1)).build()));
        Worker worker = QueueTestSupport.fastWorker(queue, name).handler(noop).build();
        worker.start();
        try {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> queue.stats().queues().get(name).succeeded() == 2);
        } finally {
            worker.stop();
            assertThat(worker.awaitTermination(Duration.ofSeconds(20))).isTrue();
        }
        assertThat(noop.ran).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(worker.health()).isEqualTo(Worker.Health.STOPPED);
    }

    @Test
    void failingJobIsRetriedThenRecordedInTheFailedLogAndCanBeRetriedFromThere() throws Exception {
        String name = QueueTestSupport.uniqueQueue("fail");
        Handlers.Failing fail = new Handlers.Failing();
        long id = queue.enqueue(JobRequest.of("fail")
                .queue(name)
                .maxAttempts(3)
                .payload(Map.of("message", "boom"))
                .build());
        List<WorkerEvent> events = new CopyOnWriteArrayList<>();
        Worker worker = QueueTestSupport.fastWorker(queue, name)
                .handler(fail)
                .listener(events::add)
                .build();
        worker.start();
        try {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> queue.stats().queues().get(name).failed() == 1);
            assertThat(fail.attempts).hasValue(3);
            assertThat(events)
                    .filteredOn(WorkerEvent.JobStarted.class::isInstance)
                    .hasSize(3);
            assertThat(events)
                    .filteredOn(WorkerEvent.JobFinished.class::isInstance)
                    .map(e -> (WorkerEvent.JobFinished) e)
                    .extracting(
                            WorkerEvent.JobFinished::attempt,
                            WorkerEvent.JobFinished::result,
                            WorkerEvent.JobFinished::errorClass,
                            WorkerEvent.JobFinished::message)
                    .containsExactly(
                            tuple(
                                    1,
                                    WorkerEvent.JobFinished.Result.RETRIED,
                                    IllegalStateException.class.getName(),
                                    "boom"),
                            tuple(
                                    2,
                                    WorkerEvent.JobFinished.Result.RETRIED,
                                    IllegalStateException.class.getName(),
                                    "boom"),
                            tuple(
                                    3,
                                    WorkerEvent.JobFinished.Result.FAILED,
                                    IllegalStateException.class.getName(),
                                    "boom"));
            assertThat(queue.browser().failures(JobFilter.all(), null, 100))
                    .extracting(FailedJob::id)
                    .contains(id);
            FailedJob failed = queue.browser().failure(id, Integer.MAX_VALUE).orElseThrow();
            assertThat(failed.id())
                    .as("one id space: the failed job's id is the job's")
                    .isEqualTo(id);
            assertThat(failed.payload()).contains("boom");
            assertThat(failed.attempts()).isEqualTo(3);
            JobView job = queue.browser().job(id).orElseThrow();
            assertThat(job.history())
                    .extracting(JobAttempt::number, JobAttempt::outcome, JobAttempt::worker)
                    .containsExactly(
                            tuple(1, "retried", worker.id()),
                            tuple(2, "retried", worker.id()),
                            tuple(3, "failed", worker.id()));
            assertThat(job.history()).allSatisfy(a -> {
                assertThat(a.startedAt()).isNotNull();
                assertThat(a.duration()).isNotNull().isGreaterThanOrEqualTo(Duration.ZERO);
                assertThat(a.error()).contains("boom");
            });
            assertThat(failed.errorClass()).isEqualTo(IllegalStateException.class.getName());
            assertThat(failed.message()).isEqualTo("boom");
            assertThat(failed.stackTrace()).contains("Handlers$Failing.handle");
            assertThat(failed.worker()).isEqualTo(worker.id());
            assertThat(failed.queue()).isEqualTo(name);

            assertThat(queue.retryFailed(failed.id())).isTrue();
            await().atMost(Duration.ofSeconds(20)).until(() -> fail.attempts.get() == 6);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> queue.browser().failures(JobFilter.all(), null, 100).stream()
                            .anyMatch(f -> f.id() == id));
        } finally {
            worker.stop();
            worker.awaitTermination(Duration.ofSeconds(20));
        }
        FailedJob again = queue.browser().failures(JobFilter.all(), null, 100).stream()
                .filter(f -> f.id() == id)
                .findFirst()
                .orElseThrow();
        assertThat(queue.forgetFailed(again.id())).isTrue();
        assertThat(queue.browser().failure(again.id(), Integer.MAX_VALUE)).isEmpty();
        assertThat(queue.browser().job(id))
                .as("forgetting a failed job deletes the job")
                .isEmpty();
        assertThat(queue.stats().queues().getOrDefault(name, QueueCounts.EMPTY).failed())
                .isZero();
        assertThat(queue.forgetFailed(again.id())).isFalse();
    }

    @Test
    void retryAllAndFlushWorkOnTheWholeFailedLog() throws Exception {
        String name = QueueTestSupport.uniqueQueue("bulk");
        Handlers.Failing fail = new Handlers.Failing();
        for (int i = 0; i < 3; i++) {
            queue.enqueue(JobRequest.of("fail").queue(name).maxAttempts(1).build());
        }
        Worker worker = QueueTestSupport.fastWorker(queue, name).handler(fail).build();
        worker.start();
        try {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> queue.stats().queues().get(name).failed() == 3);
            assertThat(queue.browser().failures(JobFilter.all(), null, 1000).stream()
                            .filter(f -> f.queue().equals(name)))
                    .hasSize(3);
        } finally {
            worker.stop();
            worker.awaitTermination(Duration.ofSeconds(20));
        }
        // with no worker running, nothing can fail again between the retry and the look at the log
        assertThat(queue.retryAllFailed()).isGreaterThanOrEqualTo(3);
        assertThat(queue.browser().failures(JobFilter.all(), null, 1000)).isEmpty();
        Worker again = QueueTestSupport.fastWorker(queue, name).handler(fail).build();
        again.start();
        try {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> fail.attempts.get() == 6
                            && queue.stats().queues().get(name).failed() == 3);
        } finally {
            again.stop();
            again.awaitTermination(Duration.ofSeconds(20));
        }
        assertThat(queue.flushFailed()).isGreaterThanOrEqualTo(3);
        assertThat(queue.browser().failures(JobFilter.all(), null, 1000)).isEmpty();
    }

    /** A payload type with one field; the producer may already send more (a rolling deploy). */
    record Greeting(String name) {}

    @Test
    void aWorkerClaimsOnlyTypesItHandlesToleratesNewFieldsAndFailsMalformedPayloadsAtOnce() throws Exception {
        String name = QueueTestSupport.uniqueQueue("bad");
        Handlers.Recording typed = new Handlers.Recording("typed");
        List<String> greeted = new CopyOnWriteArrayList<>();
        long unknown =
                queue.enqueue(JobRequest.of("nobody-handles-this").queue(name).build());
        long good = queue.enqueue(JobRequest.of("typed").queue(name).build());
        long newer = queue.enqueue(JobRequest.of("greet")
                .queue(name)
                .payloadJson("{\"name\": \"Ada\", \"addedInTheNextRelease\": true}")
                .build());
        Worker worker = QueueTestSupport.fastWorker(queue, name)
                .handler(typed)
                .handler(JobHandler.of("number", Integer.class, (context, payload) -> {}))
                .handler(JobHandler.of("greet", Greeting.class, (context, payload) -> greeted.add(payload.name())))
                .build();
        long malformed = queue.enqueue(JobRequest.of("number")
                .queue(name)
                .payloadJson("{\"not\":\"a number\"}")
                .build());
        assertThat(worker.types()).containsExactly("greet", "number", "typed");
        worker.start();
        try {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> queue.stats().queues().get(name).failed() == 1
                            && queue.stats().queues().get(name).succeeded() == 2);
            assertThat(queue.unfinished(List.of(name), worker.types()))
                    .as("nothing left this worker can run")
                    .isZero();
            assertThat(queue.unfinished(List.of(name), List.of("nobody-handles-this")))
                    .isEqualTo(1);
        } finally {
            worker.stop();
            worker.awaitTermination(Duration.ofSeconds(20));
        }
        assertThat(typed.ran).containsExactly(good);
        assertThat(greeted).as("an unknown field is ignored, not a failure").containsExactly("Ada");
        JobView waiting = queue.browser().job(unknown).orElseThrow();
        assertThat(waiting.status()).as("left for a worker that knows the type").isEqualTo(JobStatus.PENDING);
        assertThat(waiting.attempts()).isZero();
        assertThat(queue.browser().failures(JobFilter.all(), null, 100))
                .noneMatch(f -> f.id() == unknown || f.id() == newer);
        FailedJob malformedFailure = queue.browser().failures(JobFilter.all(), null, 100).stream()
                .filter(f -> f.id() == malformed)
                .findFirst()
                .orElseThrow();
        assertThat(malformedFailure.message()).contains("cannot be read as Integer");
    }

    @Test
    void queuesAreClaimedInTheOrderGiven() throws Exception {
        String first = QueueTestSupport.uniqueQueue("first");
        String second = QueueTestSupport.uniqueQueue("second");
        List<String> ran = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 5; i++) {
            // higher priority in the second queue: the order of the queues still wins
            queue.enqueue(JobRequest.of("mark")
                    .queue(second)
                    .priority(10)
                    .payload(Map.of("q", "second"))
                    .build());
        }
        for (int i = 0; i < 5; i++) {
            queue.enqueue(JobRequest.of("mark")
                    .queue(first)
                    .payload(Map.of("q", "first"))
                    .build());
        }
        Worker worker = Worker.builder(queue)
                .queues(List.of(first, second))
                .concurrency(1)
                .pollInterval(Duration.ofMillis(20), Duration.ofMillis(100))
                .handler(JobHandler.of("mark", Map.class, (context, payload) -> ran.add((String) payload.get("q"))))
                .build();
        worker.start();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> ran.size() == 10);
        } finally {
            worker.stop();
            worker.awaitTermination(Duration.ofSeconds(20));
        }
        assertThat(ran)
                .containsExactly(
                        "first", "first", "first", "first", "first", "second", "second", "second", "second", "second");
    }

    @Test
    void weightedQueuesShareTheWorkerSoNoQueueStarves() throws Exception {
        String busy = QueueTestSupport.uniqueQueue("busy");
        String small = QueueTestSupport.uniqueQueue("small");
        List<String> ran = new CopyOnWriteArrayList<>();
        List<JobRequest> jobs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            jobs.add(JobRequest.of("mark")
                    .queue(busy)
                    .priority(10)
                    .payload(Map.of("q", "busy"))
                    .build());
        }
        for (int i = 0; i < 30; i++) {
            jobs.add(JobRequest.of("mark")
                    .queue(small)
                    .payload(Map.of("q", "small"))
                    .build());
        }
        queue.enqueueAll(jobs);
        Map<String, Integer> weights = new LinkedHashMap<>();
        weights.put(busy, 3);
        weights.put(small, 1);
        Worker worker = Worker.builder(queue)
                .weightedQueues(weights)
                .concurrency(1)
                .batchSize(1)
                .pollInterval(Duration.ofMillis(20), Duration.ofMillis(100))
                .handler(JobHandler.of("mark", Map.class, (context, payload) -> ran.add((String) payload.get("q"))))
                .build();
        worker.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> ran.size() >= 60);
        } finally {
            worker.stop();
            worker.awaitTermination(Duration.ofSeconds(20));
        }
        long smallInFirst60 =
                ran.subList(0, 60).stream().filter("small"::equals).count();
        // strict order would run no small job before the 100 busy ones; weights 3:1 give it about a quarter of the
        // claims (15 of 60 expected; fewer than 4 has a chance of about 1 in 10,000)
        assertThat(smallInFirst60).as(ran.toString()).isBetween(4L, 30L);
    }

    @Test
    void uniqueKeyReturnsTheLiveJobAndFreesTheKeyWhenItFinishes() throws Exception {
        String name = QueueTestSupport.uniqueQueue("uniq");
        long first = queue.enqueue(
                JobRequest.of("noop").queue(name).uniqueKey("report-42").build());
        long second = queue.enqueue(
                JobRequest.of("noop").queue(name).uniqueKey("report-42").build());
        long other = queue.enqueue(
                JobRequest.of("noop").queue(name).uniqueKey("report-43").build());
        assertThat(second).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        Handlers.Recording noop = new Handlers.Recording("noop");
        Worker worker = QueueTestSupport.fastWorker(queue, name).handler(noop).build();
        worker.start();
        try {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> queue.stats().queues().get(name).succeeded() == 2);
            long third = queue.enqueue(
                    JobRequest.of("noop").queue(name).uniqueKey("report-42").build());
            assertThat(third).as("a finished job's key can be used again").isNotEqualTo(first);
        } finally {
            worker.stop();
            worker.awaitTermination(Duration.ofSeconds(20));
        }
    }

    @ParameterizedTest
    @EnumSource(JdbcDriver.class)
    void batchEnqueueReturnsEachJobsIdIncludingTheLiveJobForARepeatedKey(JdbcDriver driver) throws Exception {
        String name = QueueTestSupport.uniqueQueue("batch");
        try (ResilientDatabase other = QueueTestSupport.database(SERVER, driver)) {
            JobQueue q = JobQueue.create(other);
            List<Long> ids = q.enqueueAll(List.of(
                    JobRequest.of("noop").queue(name).uniqueKey("k").build(),
                    JobRequest.of("noop").queue(name).build(),
                    JobRequest.of("noop").queue(name).uniqueKey("k").build(),
                    JobRequest.of("noop").queue(name).delay(Duration.ofHours(1)).build()));
            assertThat(ids).hasSize(4);
            assertThat(ids.get(2)).isEqualTo(ids.get(0));
            assertThat(ids.get(1)).isNotEqualTo(ids.get(0));
            assertThat(q.stats().queues().get(name)).isEqualTo(new QueueCounts(2, 1, 0, 0, 0));
            for (long id : List.of(ids.get(0), ids.get(1), ids.get(3))) {
                assertThat(SERVER.queryLong("SELECT COUNT(*) FROM sf_job WHERE queue = '" + name + "' AND id = " + id))
                        .isEqualTo(1);
            }
        }
    }

    @Test
    void higherPriorityRunsFirstAndDelayedJobsWait() throws Exception {
        String name = QueueTestSupport.uniqueQueue("prio");
        long low = queue.enqueue(JobRequest.of("noop").queue(name).priority(0).build());
        long high = queue.enqueue(JobRequest.of("noop").queue(name).priority(10).build());
        long delayed = queue.enqueue(JobRequest.of("noop")
                .queue(name)
                .priority(100)
                .delay(Duration.ofSeconds(2))
                .build());
        assertThat(queue.stats().queues().get(name).scheduled()).isEqualTo(1);
        assertThat(queue.stats().queues().get(name).pending()).isEqualTo(2);
        Handlers.Recording noop = new Handlers.Recording("noop");
        Worker worker = QueueTestSupport.fastWorker(queue, name)
                .handler(noop)
                .concurrency(1)
                .batchSize(1)
                .build();
        worker.start();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> noop.ran.size() == 3);
        } finally {
            worker.stop();
            worker.awaitTermination(Duration.ofSeconds(20));
        }
        assertThat(noop.ran).containsExactly(high, low, delayed);
    }

    @Test
    void transactionalEnqueueExistsOnlyIfTheCallersTransactionCommits() throws Exception {
        String name = QueueTestSupport.uniqueQueue("txn");
        assertThatThrownBy(() -> db.transaction(tx -> {
                    queue.enqueue(tx, JobRequest.of("noop").queue(name).build());
                    throw new IllegalStateException("the caller's business failed");
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(queue.stats().queues()).doesNotContainKey(name);
        db.transaction((Connection tx) ->
                queue.enqueue(tx, JobRequest.of("noop").queue(name).build()));
        assertThat(queue.stats().queues().get(name).pending()).isEqualTo(1);
    }

    @Test
    void badRequestsAreRejectedWithClearMessages() {
        assertThatThrownBy(() -> JobRequest.of(" ").build()).hasMessageContaining("job type");
        assertThatThrownBy(() -> JobRequest.of("x").maxAttempts(0).build()).hasMessageContaining("maxAttempts");
        assertThatThrownBy(() ->
                        queue.enqueue(JobRequest.of("x").payloadJson("{broken").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void jsonPayloadReachesTheHandlerAsWritten() throws Exception {
        String name = QueueTestSupport.uniqueQueue("json");
        record Email(String to, int retries) {}
        CopyOnWriteArrayList<Email> seen = new CopyOnWriteArrayList<>();
        queue.enqueue(JobRequest.of("email")
                .queue(name)
                .payload(new Email("a@example.org", 2))
                .build());
        Worker worker = QueueTestSupport.fastWorker(queue, name)
                .handler(JobHandler.of("email", Email.class, (context, payload) -> seen.add(payload)))
                .build();
        worker.start();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == 1);
        } finally {
            worker.stop();
            worker.awaitTermination(Duration.ofSeconds(20));
        }
        assertThat(seen).containsExactly(new Email("a@example.org", 2));
    }
}
