package dev.steadfast.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.internal.store.Store;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Batches on a real server: callbacks enqueued exactly once (success, complete, failure), failed members retried with
 * their callbacks re-armed and fired once more, members added from inside a member, open batches closed, cancel of
 * pending and running members, nested batches, progress while members run, and the mistakes refused.
 */
@ExtendWith(SharedQueue.class)
class BatchTest {
    private static final MariaDbServer SERVER = MariaDbServer.shared();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @SharedQueue.Open
    private static JobQueue queue;

    /** Members of type "flaky" fail until this is set. */
    private static final AtomicBoolean FIXED = new AtomicBoolean();

    /** What each callback saw of its batch when it ran, by callback job id. */
    private static final Map<Long, BatchView> SEEN = new ConcurrentHashMap<>();

    private static JobRequest job(String type, String queueName) {
        return JobRequest.of(type).queue(queueName).maxAttempts(1).build();
    }

    private static Worker worker(JobQueue on, String name, int threads) {
        return QueueTestSupport.fastWorker(on, name)
                .concurrency(threads)
                .handler(JobHandler.of("ok", JsonNode.class, (c, p) -> {}))
                .handler(JobHandler.of("flaky", JsonNode.class, (c, p) -> {
                    if (!FIXED.get()) {
                        throw new IllegalStateException("not yet");
                    }
                }))
                .handler(JobHandler.of("spawn", JsonNode.class, (c, p) -> {
                    // a member that discovers more work adds it to its own batch
                    long batch = on.batches().memberOf(c.jobId()).orElseThrow().id();
                    List<JobRequest> more = new ArrayList<>();
                    for (int i = 0; i < p.path("more").asInt(); i++) {
                        more.add(job("ok", name));
                    }
                    on.batches().add(batch, more);
                }))
                .handler(JobHandler.of(
                        "callback",
                        JsonNode.class,
                        (c, p) -> SEEN.put(
                                c.jobId(), on.batches().callbackOf(c.jobId()).orElseThrow())))
                .build();
    }

    private static long callbacks(String name, long batchId) throws Exception {
        return SERVER.queryLong("SELECT COUNT(*) FROM sf_job WHERE callback_of = " + batchId);
    }

    private static JobRequest callback(String name, String kind) {
        return JobRequest.of("callback")
                .queue(name)
                .payload(Map.of("kind", kind))
                .build();
    }

    private static BatchView view(JobQueue on, long id) throws Exception {
        return on.batches().find(id).orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(JdbcDriver.class)
    void successFiresOnSuccessAndOnCompleteOnceWithTheSummary(JdbcDriver driver) throws Exception {
        String name = QueueTestSupport.uniqueQueue("batch-ok");
        try (ResilientDatabase db = QueueTestSupport.database(SERVER, driver)) {
            JobQueue q = JobQueue.existing(db);
            BatchRequest batch = q.batch()
                    .description("import")
                    .onSuccess(callback(name, "success"))
                    .onComplete(callback(name, "complete"))
                    .onFailure(callback(name, "failure"));
            for (int i = 0; i < 300; i++) {
                batch.add(job("ok", name));
            }
            BatchEnqueued enqueued = batch.enqueue();
            assertThat(enqueued.jobIds()).hasSize(300).doesNotHaveDuplicates();
            assertThat(view(q, enqueued.id()).pending()).isEqualTo(300);
            Worker w = worker(q, name, 8);
            w.start();
            try {
                BatchView done = await().atMost(WAIT)
                        .until(() -> view(q, enqueued.id()), v -> v.state() == BatchState.SUCCEEDED);
                await().atMost(WAIT)
                        .until(() -> SEEN.keySet().containsAll(List.of(done.onSuccessJob(), done.onCompleteJob())));
                assertThat(done.total()).isEqualTo(300);
                assertThat(done.succeeded()).isEqualTo(300);
                assertThat(done.pending() + done.running() + done.failed() + done.cancelled())
                        .isZero();
                assertThat(done.onFailureJob()).isNull();
                assertThat(done.description()).isEqualTo("import");
                assertThat(callbacks(name, enqueued.id()))
                        .as("on_success and on_complete, each once")
                        .isEqualTo(2);
                BatchView seen = SEEN.get(done.onSuccessJob());
                assertThat(seen.id()).isEqualTo(enqueued.id());
                assertThat(seen.succeeded())
                        .as("the callback reads its batch's summary")
                        .isEqualTo(300);
                assertThat(q.batches()
                                .memberOf(enqueued.jobIds().get(7))
                                .orElseThrow()
                                .id())
                        .isEqualTo(enqueued.id());
                assertThat(q.batches().list(null, 50)).extracting(BatchView::id).contains(enqueued.id());
                assertThat(q.batches().list(enqueued.id(), 50))
                        .extracting(BatchView::id)
                        .doesNotContain(enqueued.id());
            } finally {
                w.stop();
            }
        }
    }

    @Test
    void aFailureFiresOnFailureOnceAndRetryReArmsEveryCallback() throws Exception {
        String name = QueueTestSupport.uniqueQueue("batch-retry");
        FIXED.set(false);
        BatchRequest batch = queue.batch()
                .onSuccess(callback(name, "success"))
                .onComplete(callback(name, "complete"))
                .onFailure(callback(name, "failure"));
        for (int i = 0; i < 20; i++) {
            batch.add(job(i % 5 == 0 ? "flaky" : "ok", name)); // 4 of 20 fail
        }
        long id = batch.enqueue().id();
        Worker w = worker(queue, name, 4);
        w.start();
        try {
            BatchView failed = await().atMost(WAIT).until(() -> view(queue, id), v -> v.state() == BatchState.FAILED);
            assertThat(failed.failed()).isEqualTo(4);
            assertThat(failed.succeeded()).isEqualTo(16);
            assertThat(failed.onFailureJob()).as("on the first failure").isNotNull();
            assertThat(failed.onCompleteJob()).isNotNull();
            assertThat(failed.onSuccessJob()).isNull();
            assertThat(callbacks(name, id))
                    .as("on_failure once for 4 failures, on_complete once")
                    .isEqualTo(2);

            FIXED.set(true);
            assertThat(queue.batches().retryFailed(id)).isEqualTo(4);
            assertThat(view(queue, id).state()).isIn(BatchState.RUNNING, BatchState.SUCCEEDED);
            BatchView ok = await().atMost(WAIT).until(() -> view(queue, id), v -> v.state() == BatchState.SUCCEEDED);
            assertThat(ok.succeeded()).isEqualTo(20);
            assertThat(ok.failed()).isZero();
            assertThat(ok.onSuccessJob()).isNotNull();
            assertThat(ok.onCompleteJob()).as("on_complete fired again").isNotEqualTo(failed.onCompleteJob());
            assertThat(ok.onFailureJob()).isEqualTo(failed.onFailureJob());
            assertThat(callbacks(name, id))
                    .as("after the retry: on_success and on_complete once more, no second on_failure")
                    .isEqualTo(4);
            assertThat(queue.batches().retryFailed(id))
                    .as("nothing failed any more")
                    .isZero();
        } finally {
            w.stop();
            FIXED.set(false);
        }
    }

    @Test
    void membersAddedFromInsideAMemberAndAnOpenBatchEndsOnlyWhenClosed() throws Exception {
        String name = QueueTestSupport.uniqueQueue("batch-open");
        // closed at once: the spawner's new members keep it from ending until they finish too
        long closed = queue.batch()
                .onComplete(callback(name, "complete"))
                .add(JobRequest.of("spawn")
                        .queue(name)
                        .payload(Map.of("more", 5))
                        .build())
                .enqueue()
                .id();
        // open: every member may finish, it waits for close
        BatchEnqueued open = queue.batch()
                .keepOpen()
                .onComplete(callback(name, "complete"))
                .add(job("ok", name))
                .enqueue();
        Worker w = worker(queue, name, 4);
        w.start();
        try {
            BatchView done = await().atMost(WAIT).until(() -> view(queue, closed), v -> v.finishedAt() != null);
            assertThat(done.state()).isEqualTo(BatchState.SUCCEEDED);
            assertThat(done.total()).isEqualTo(6);
            assertThat(done.succeeded()).isEqualTo(6);
            await().atMost(WAIT).until(() -> SEEN.containsKey(done.onCompleteJob()));
            assertThat(SEEN.get(done.onCompleteJob()).succeeded())
                    .as("the callback came after the members added from inside")
                    .isEqualTo(6);

            await().atMost(WAIT).until(() -> view(queue, open.id()).succeeded() == 1);
            assertThat(queue.batches().add(open.id(), List.of(job("ok", name), job("ok", name))))
                    .hasSize(2);
            await().atMost(WAIT).until(() -> view(queue, open.id()).succeeded() == 3);
            BatchView stillOpen = view(queue, open.id());
            assertThat(stillOpen.state()).isEqualTo(BatchState.OPEN);
            assertThat(stillOpen.onCompleteJob())
                    .as("an open batch does not end")
                    .isNull();
            assertThat(queue.batches().close(open.id())).isTrue();
            assertThat(queue.batches().close(open.id())).as("closed already").isFalse();
            BatchView ended = view(queue, open.id());
            assertThat(ended.state())
                    .as("every member had finished: it ends at close")
                    .isEqualTo(BatchState.SUCCEEDED);
            assertThat(ended.onCompleteJob()).isNotNull();
            assertThat(callbacks(name, open.id())).isEqualTo(1);
            assertThatThrownBy(() -> queue.batches().add(open.id(), List.of(job("ok", name))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("takes no more members");
        } finally {
            w.stop();
        }
    }

    @Test
    void cancelCancelsPendingMembersStopsRunningOnesAndEndsOnce() throws Exception {
        String name = QueueTestSupport.uniqueQueue("batch-cancel");
        CountDownLatch started = new CountDownLatch(2);
        Worker w = QueueTestSupport.fastWorker(queue, name)
                .concurrency(2)
                .handler(JobHandler.of("block", JsonNode.class, (c, p) -> {
                    started.countDown();
                    Thread.sleep(Duration.ofMinutes(5).toMillis()); // the work of the job: stopped by the cancel
                }))
                .build();
        BatchRequest batch =
                queue.batch().onComplete(callback(name, "complete")).onSuccess(callback(name, "success"));
        batch.add(
                JobRequest.of("block").queue(name).build(),
                JobRequest.of("block").queue(name).build());
        for (int i = 0; i < 30; i++) {
            batch.add(job("ok", name)); // nobody runs these here
        }
        long id = batch.enqueue().id();
        w.start();
        try {
            assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
            BatchView progress = view(queue, id);
            assertThat(progress.running()).as("progress counts running members").isEqualTo(2);
            assertThat(progress.pending()).isEqualTo(30);
            assertThat(queue.batches().cancel(id)).isTrue();
            assertThat(queue.batches().cancel(id)).as("cancelled already").isFalse();
            BatchView cancelled = await().atMost(WAIT).until(() -> view(queue, id), v -> v.finishedAt() != null);
            assertThat(cancelled.state()).isEqualTo(BatchState.CANCELLED);
            assertThat(cancelled.cancelled()).isEqualTo(32);
            assertThat(cancelled.onSuccessJob()).isNull();
            assertThat(cancelled.onCompleteJob()).isNotNull();
            assertThat(callbacks(name, id)).isEqualTo(1);
        } finally {
            w.stop();
        }
    }

    @Test
    void aNestedBatchStandsInItsParentAndEndsItOnce() throws Exception {
        String name = QueueTestSupport.uniqueQueue("batch-nested");
        FIXED.set(false);
        BatchRequest child = BatchRequest.create()
                .onSuccess(callback(name, "child-success"))
                .add(job("ok", name), job("ok", name), job("flaky", name));
        BatchEnqueued parent = queue.batch()
                .onSuccess(callback(name, "success"))
                .onFailure(callback(name, "failure"))
                .add(job("ok", name))
                .add(child)
                .enqueue();
        assertThat(parent.batches()).hasSize(1);
        BatchEnqueued nested = parent.batches().get(0);
        assertThat(view(queue, parent.id()).total())
                .as("a member and a stand-in")
                .isEqualTo(2);
        assertThat(queue.browser().job(nested.standInJobId()).orElseThrow().status())
                .isEqualTo(JobStatus.WAITING);
        Worker w = worker(queue, name, 4);
        w.start();
        try {
            BatchView failed =
                    await().atMost(WAIT).until(() -> view(queue, parent.id()), v -> v.state() == BatchState.FAILED);
            assertThat(view(queue, nested.id()).state()).isEqualTo(BatchState.FAILED);
            assertThat(queue.browser().job(nested.standInJobId()).orElseThrow().status())
                    .isEqualTo(JobStatus.FAILED);
            assertThat(failed.failed()).as("the stand-in failed with its batch").isEqualTo(1);
            assertThat(failed.onFailureJob()).isNotNull();

            assertThat(queue.retryFailed(nested.standInJobId()))
                    .as("a stand-in never runs: its batch's failed members are retried instead")
                    .isFalse();
            FIXED.set(true);
            assertThat(queue.batches().retryFailed(parent.id()))
                    .as("the nested batch's failed member")
                    .isEqualTo(1);
            BatchView ok =
                    await().atMost(WAIT).until(() -> view(queue, parent.id()), v -> v.state() == BatchState.SUCCEEDED);
            assertThat(ok.succeeded()).isEqualTo(2);
            assertThat(view(queue, nested.id()).state()).isEqualTo(BatchState.SUCCEEDED);
            assertThat(view(queue, nested.id()).onSuccessJob()).isNotNull();
            assertThat(queue.browser().job(nested.standInJobId()).orElseThrow().status())
                    .isEqualTo(JobStatus.SUCCEEDED);
            assertThat(callbacks(name, nested.id())).isEqualTo(1);
            assertThat(callbacks(name, parent.id()))
                    .as("on_failure once, on_success once")
                    .isEqualTo(2);
        } finally {
            w.stop();
            FIXED.set(false);
        }
    }

    /**
     * An ended batch goes with retention once its members have gone: not while a member (a failed one kept longer, say)
     * is still there, nor before its own end is past the retention.
     */
    @Test
    void anEndedBatchIsPurgedOnceItsMembersAreGone() throws Exception {
        String name = QueueTestSupport.uniqueQueue("batch-purge");
        BatchEnqueued gone = queue.batch()
                .onComplete(callback(name, "complete"))
                .add(job("ok", name), job("ok", name))
                .enqueue();
        BatchEnqueued kept = queue.batch().add(job("ok", name)).enqueue();
        BatchEnqueued recent = queue.batch().add(job("ok", name)).enqueue();
        Worker w = worker(queue, name, 2);
        w.start();
        try {
            for (BatchEnqueued b : List.of(gone, kept, recent)) {
                await().atMost(WAIT).until(() -> view(queue, b.id()).state() == BatchState.SUCCEEDED);
            }
        } finally {
            w.stop();
            w.awaitTermination(WAIT);
        }
        SERVER.execute(
                "UPDATE sf_batch SET finished_at = NOW(3) - INTERVAL 25 HOUR WHERE id IN (" + gone.id() + ", "
                        + kept.id() + ")",
                "DELETE FROM sf_job WHERE batch_id IN (" + gone.id() + ", " + recent.id() + ")");
        Store store = new Store();
        try (ResilientDatabase db = QueueTestSupport.database(SERVER, JdbcDriver.MARIADB)) {
            db.read(c -> store.batches().purgeEnded(c, Duration.ofHours(24), 1000));
        }
        assertThat(queue.batches().find(gone.id()))
                .as("ended long ago, members gone")
                .isEmpty();
        assertThat(SERVER.queryLong("SELECT COUNT(*) FROM sf_batch_callback WHERE batch_id = " + gone.id()))
                .isZero();
        assertThat(queue.batches().find(kept.id()))
                .as("its member is still there")
                .isPresent();
        assertThat(queue.batches().find(recent.id()))
                .as("ended within the retention")
                .isPresent();
    }

    @Test
    void enqueueInTheCallersTransactionAndMistakesRefused() throws Exception {
        String name = QueueTestSupport.uniqueQueue("batch-tx");
        long before = SERVER.queryLong("SELECT COUNT(*) FROM sf_batch");
        try (Connection c = queue.database().dataSource().getConnection()) {
            c.setAutoCommit(false);
            BatchEnqueued rolledBack = queue.batch().add(job("ok", name)).enqueue(c);
            assertThat(rolledBack.jobIds()).hasSize(1);
            c.rollback();
            c.setAutoCommit(true);
        }
        assertThat(SERVER.queryLong("SELECT COUNT(*) FROM sf_batch")).isEqualTo(before);
        assertThat(queue.count(JobFilter.all().queue(name), 10)).isZero();

        BatchEnqueued empty =
                queue.batch().onComplete(callback(name, "complete")).enqueue();
        assertThat(view(queue, empty.id()).state())
                .as("an empty batch ends at once")
                .isEqualTo(BatchState.SUCCEEDED);
        assertThat(callbacks(name, empty.id())).isEqualTo(1);

        assertThatThrownBy(() ->
                        queue.batch().add(JobRequest.of("ok").uniqueKey("k").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unique key");
        assertThatThrownBy(() -> queue.batch()
                        .onSuccess(
                                JobRequest.of("cb").delay(Duration.ofMinutes(1)).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no delay");
        assertThatThrownBy(() -> queue.batches().add(Long.MAX_VALUE - 1, List.of(job("ok", name))))
                .isInstanceOf(IllegalStateException.class);
        assertThat(queue.batches().find(Long.MAX_VALUE - 1)).isEmpty();
        long loner = queue.enqueue(job("ok", name));
        assertThat(queue.batches().memberOf(loner)).as("a job of no batch").isEmpty();
        assertThat(queue.batches().callbackOf(loner)).isEmpty();
        assertThat(queue.batches().cancel(Long.MAX_VALUE - 1)).isFalse();
        assertThatThrownBy(() -> BatchRequest.create().enqueue()).isInstanceOf(IllegalStateException.class);
    }
}
