package dev.steadfast.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Workflows and batches composed: a step that is a batch (a -> batch of 100 with an on_success callback -> c) on a real
 * server, both drivers: no member runs before a has succeeded, c runs once after every member and after the batch's
 * callback was enqueued; a failing member under cancel_dependents cancels c; a failed parent cancels the held members;
 * cancelling the workflow cancels them; retry of the workflow retries the batch's failed members; and the same flow
 * run while connections are KILLed.
 */
@ExtendWith(SharedQueue.class)
class WorkflowBatchTest {
    private static final MariaDbServer SERVER = MariaDbServer.shared();
    private static final int MEMBERS = 100;

    @SharedQueue.Open
    private static JobQueue queue;

    /** Runs jobs named by their payload; records starts and ends in order; fails the names in {@link #failing}. */
    static final class Named implements JobHandler<JsonNode> {
        final List<String> events = new CopyOnWriteArrayList<>();
        final Map<String, AtomicInteger> starts = new ConcurrentHashMap<>();
        final Set<String> failing = ConcurrentHashMap.newKeySet();
        final Set<String> failOnce = ConcurrentHashMap.newKeySet();
        /** Whether the batch's on_success callback job existed when c started. */
        volatile Boolean callbackBeforeC;

        volatile long batchId;
        volatile JobQueue on;
        /** How long each member works (the KILL loop needs the flow to last a while). */
        volatile long memberMs;

        @Override
        public String type() {
            return "named";
        }

        @Override
        public Class<JsonNode> payloadType() {
            return JsonNode.class;
        }

        @Override
        public void handle(JobContext context, JsonNode payload) throws Exception {
            String name = payload.path("name").asText();
            starts.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
            if (name.equals("c") && on != null) {
                callbackBeforeC = on.batches().find(batchId).orElseThrow().onSuccessJob() != null;
            }
            events.add("start " + name);
            if (memberMs > 0 && name.startsWith("m")) {
                Thread.sleep(memberMs); // the work of a member
            }
            if (failing.contains(name) || failOnce.remove(name)) {
                events.add("fail " + name);
                throw new IllegalStateException(name + " fails as told");
            }
            events.add("end " + name);
        }

        int started(String name) {
            AtomicInteger n = starts.get(name);
            return n == null ? 0 : n.get();
        }
    }

    private static JobRequest named(String queueName, String name) {
        return JobRequest.of("named")
                .queue(queueName)
                .maxAttempts(1)
                .payloadJson("{\"name\":\"" + name + "\"}")
                .build();
    }

    private static BatchRequest members(String queueName, int n) {
        BatchRequest batch = BatchRequest.create().onSuccess(named(queueName, "done"));
        for (int i = 0; i < n; i++) {
            batch.add(named(queueName, "m" + i));
        }
        return batch;
    }

    private static WorkflowRequest abc(String queueName, BatchRequest batch, FailurePolicy policy) {
        return WorkflowRequest.named("import")
                .step("a", named(queueName, "a"))
                .step("import", batch, "a")
                .step("c", named(queueName, "c"), "import")
                .onFailure(policy)
                .build();
    }

    private static Worker worker(JobQueue q, String queueName, Named handler) {
        return QueueTestSupport.fastWorker(q, queueName)
                .handler(handler)
                .concurrency(8)
                .build();
    }

    private static WorkflowView view(JobQueue q, long id) throws Exception {
        return q.workflows().find(id).orElseThrow();
    }

    private static WorkflowStep stepOf(JobQueue q, long id, String name) throws Exception {
        return view(q, id).steps().stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static long inState(String queueName, String state) throws Exception {
        return SERVER.queryLong("SELECT COUNT(*) FROM sf_job WHERE queue = '" + queueName + "' AND state = '" + state
                + "' AND type = 'named'");
    }

    @ParameterizedTest
    @EnumSource(JdbcDriver.class)
    void aBatchStepRunsAfterItsParentAndBeforeItsChild(JdbcDriver driver) throws Exception {
        String name = QueueTestSupport.uniqueQueue("wfbatch");
        try (ResilientDatabase db = QueueTestSupport.database(SERVER, driver)) {
            JobQueue q = JobQueue.create(db, new ObjectMapper(), false);
            EnqueuedWorkflow wf =
                    q.workflows().enqueue(abc(name, members(name, MEMBERS), FailurePolicy.CANCEL_DEPENDENTS));
            long batchId = wf.batches().get("import");
            long standIn = wf.steps().get("import");
            assertThat(standIn).isBetween(wf.steps().get("a"), wf.steps().get("c"));
            assertThat(inState(name, "pending")).as("only a is pending").isEqualTo(1);
            assertThat(inState(name, "waiting")).as("c and the held members").isEqualTo(MEMBERS + 1);
            assertThat(SERVER.queryLong("SELECT MIN(id) FROM sf_job WHERE batch_id = " + batchId))
                    .as("members after every step")
                    .isGreaterThan(wf.steps().get("c"));
            WorkflowStep before = stepOf(q, wf.id(), "import");
            assertThat(before.status()).isEqualTo(JobStatus.WAITING);
            assertThat(before.batch().id()).isEqualTo(batchId);
            assertThat(before.batch().total()).isEqualTo(MEMBERS);
            // a member added while the step waits is held as well
            long added = q.batches()
                    .add(batchId, List.of(named(name, "m" + MEMBERS)))
                    .get(0);
            assertThat(q.browser().job(added).orElseThrow().status()).isEqualTo(JobStatus.WAITING);

            Named handler = new Named();
            handler.on = q;
            handler.batchId = batchId;
            Worker w = worker(q, name, handler);
            w.start();
            try {
                await().atMost(Duration.ofSeconds(60))
                        .until(() ->
                                view(q, wf.id()).state() == WorkflowState.SUCCEEDED && handler.started("done") == 1);
            } finally {
                w.stop();
            }
            int endA = handler.events.indexOf("end a");
            int startC = handler.events.indexOf("start c");
            for (int i = 0; i <= MEMBERS; i++) {
                assertThat(handler.started("m" + i)).as("member m%d once", i).isEqualTo(1);
                assertThat(handler.events.indexOf("start m" + i))
                        .as("m%d after a", i)
                        .isGreaterThan(endA);
                assertThat(handler.events.indexOf("end m" + i))
                        .as("m%d before c", i)
                        .isLessThan(startC);
            }
            assertThat(handler.started("c")).isEqualTo(1);
            assertThat(handler.callbackBeforeC)
                    .as("the batch's callback was enqueued before c started")
                    .isTrue();
            WorkflowStep after = stepOf(q, wf.id(), "import");
            assertThat(after.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(after.batch().state()).isEqualTo(BatchState.SUCCEEDED);
            assertThat(after.batch().succeeded()).isEqualTo(MEMBERS + 1);
        }
    }

    @Test
    void aBatchStepWithoutParentsStartsAtOnceAndShowsRunning() throws Exception {
        String name = QueueTestSupport.uniqueQueue("wfbatch0");
        EnqueuedWorkflow wf = queue.workflows()
                .enqueue(WorkflowRequest.named("first")
                        .step("import", members(name, 3))
                        .step("c", named(name, "c"), "import")
                        .build());
        assertThat(inState(name, "pending")).as("members released at once").isEqualTo(3);
        assertThat(q(wf).status()).as("a released batch's step runs").isEqualTo(JobStatus.RUNNING);
        assertThat(view(queue, wf.id()).state()).isEqualTo(WorkflowState.RUNNING);
        assertThat(queue.browser().job(wf.steps().get("import")).orElseThrow().status())
                .as("its stand-in job waits for the batch")
                .isEqualTo(JobStatus.WAITING);
        assertThat(queue.workflows().cancel(wf.id())).isPresent();
        assertThat(inState(name, "cancelled")).isEqualTo(4);
    }

    private static WorkflowStep q(EnqueuedWorkflow wf) throws Exception {
        return stepOf(queue, wf.id(), "import");
    }

    @Test
    void failuresCancelWhatComesAfterUnderCancelDependents() throws Exception {
        String name = QueueTestSupport.uniqueQueue("wfbatchfail");
        // a failing member: the batch ends failed, so does its step, and c is cancelled
        EnqueuedWorkflow member =
                queue.workflows().enqueue(abc(name, members(name, 5), FailurePolicy.CANCEL_DEPENDENTS));
        // a failing parent: the step is cancelled, and with it its batch's held members
        String other = QueueTestSupport.uniqueQueue("wfbatchfail");
        EnqueuedWorkflow parent = queue.workflows()
                .enqueue(WorkflowRequest.named("import")
                        .step("a", named(other, "a2"))
                        .step("import", members(other, 5).onComplete(named(other, "complete")), "a")
                        .step("c", named(other, "c2"), "import")
                        .build());
        Named handler = new Named();
        handler.failing.add("m3");
        handler.failing.add("a2");
        Worker w = QueueTestSupport.fastWorker(queue, name)
                .queues(List.of(name, other))
                .handler(handler)
                .concurrency(4)
                .build();
        w.start();
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> view(queue, member.id()).state().finished()
                            && view(queue, parent.id()).state().finished()
                            && handler.started("complete") == 1);
        } finally {
            w.stop();
        }
        assertThat(view(queue, member.id()).state()).isEqualTo(WorkflowState.FAILED);
        assertThat(stepOf(queue, member.id(), "import").status()).isEqualTo(JobStatus.FAILED);
        assertThat(stepOf(queue, member.id(), "import").batch().failed()).isEqualTo(1);
        assertThat(stepOf(queue, member.id(), "c").status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(handler.started("c")).isZero();

        assertThat(stepOf(queue, parent.id(), "import").status()).isEqualTo(JobStatus.CANCELLED);
        BatchView cancelled = stepOf(queue, parent.id(), "import").batch();
        assertThat(cancelled.state()).isEqualTo(BatchState.CANCELLED);
        assertThat(cancelled.cancelled()).isEqualTo(5);
        assertThat(cancelled.onCompleteJob())
                .as("on_complete fired as a batch cancel fires it")
                .isNotNull();
        assertThat(stepOf(queue, parent.id(), "c").status()).isEqualTo(JobStatus.CANCELLED);
        for (int i = 0; i < 5; i++) {
            assertThat(handler.started("m" + i))
                    .as("no held member of the cancelled step ran")
                    .isLessThanOrEqualTo(1);
        }
        assertThat(inState(other, "cancelled")).as("five members and c2").isEqualTo(6);
        assertThat(handler.started("c2")).isZero();
    }

    @Test
    void cancellingTheWorkflowCancelsHeldMembersAndRetryResumesAFailedBatch() throws Exception {
        String name = QueueTestSupport.uniqueQueue("wfbatchcancel");
        EnqueuedWorkflow wf = queue.workflows()
                .enqueue(WorkflowRequest.named("import")
                        .step(
                                "a",
                                JobRequest.of("named")
                                        .queue(name)
                                        .delay(Duration.ofHours(1))
                                        .build())
                        .step("import", members(name, 10), "a")
                        .step("c", named(name, "c"), "import")
                        .build());
        assertThat(queue.workflows().cancel(wf.id())).contains(3);
        assertThat(view(queue, wf.id()).state()).isEqualTo(WorkflowState.CANCELLED);
        assertThat(inState(name, "cancelled")).as("the held members, a and c").isEqualTo(12);
        assertThat(queue.batches()
                        .find(wf.batches().get("import"))
                        .orElseThrow()
                        .state())
                .isEqualTo(BatchState.CANCELLED);

        // under 'wait', a failed member fails the step; a retry of the workflow retries it, and c then runs
        String again = QueueTestSupport.uniqueQueue("wfbatchretry");
        EnqueuedWorkflow resumed = queue.workflows().enqueue(abc(again, members(again, 5), FailurePolicy.WAIT));
        Named handler = new Named();
        handler.failOnce.add("m2");
        Worker w = worker(queue, again, handler);
        w.start();
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> view(queue, resumed.id()).state() == WorkflowState.WAITING);
            assertThat(stepOf(queue, resumed.id(), "import").status()).isEqualTo(JobStatus.FAILED);
            assertThat(handler.started("c")).isZero();
            assertThat(queue.workflows().retry(resumed.id())).contains(1);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> view(queue, resumed.id()).state() == WorkflowState.SUCCEEDED);
        } finally {
            w.stop();
        }
        assertThat(handler.started("m2")).isEqualTo(2);
        assertThat(handler.started("c")).isEqualTo(1);
        assertThat(handler.events.indexOf("start c")).isGreaterThan(handler.events.lastIndexOf("end m2"));
    }

    @Test
    void aStepIsAJobOrABatchAndItsBatchEndsByItself() {
        assertThatThrownBy(() -> new WorkflowRequest.Step("x", named("q", "x"), List.of(), null, members("q", 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("step 'x' runs a job or a batch: give exactly one of them");
        assertThatThrownBy(() -> WorkflowRequest.named("w").step("x", BatchRequest.create()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the batch of step 'x' has no members");
        assertThatThrownBy(() ->
                        WorkflowRequest.named("w").step("x", members("q", 1).keepOpen()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is kept open");
    }

    @ParameterizedTest
    @EnumSource(JdbcDriver.class)
    void aBatchStepRunsEachMemberOnceWhileConnectionsAreKilled(JdbcDriver driver) throws Exception {
        String name = QueueTestSupport.uniqueQueue("wfbatchkill");
        try (ResilientDatabase db = QueueTestSupport.database(SERVER, driver)) {
            JobQueue q = JobQueue.create(db, new ObjectMapper(), false);
            Named handler = new Named();
            handler.memberMs = 40;
            Worker w = worker(q, name, handler);
            AtomicBoolean chaos = new AtomicBoolean(true);
            AtomicInteger kills = new AtomicInteger();
            Thread killer = new Thread(() -> {
                while (chaos.get()) {
                    try {
                        List<Long> ids = SERVER.connectionIds();
                        if (!ids.isEmpty()
                                && SERVER.killConnection(
                                        ids.get(ThreadLocalRandom.current().nextInt(ids.size())))) {
                            kills.incrementAndGet();
                        }
                        Thread.sleep(30); // the pace of the fault injector
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        // the next round tries again
                    }
                }
            });
            w.start();
            killer.start();
            EnqueuedWorkflow wf;
            try {
                wf = q.workflows().enqueue(abc(name, members(name, MEMBERS), FailurePolicy.CANCEL_DEPENDENTS));
                await().atMost(Duration.ofSeconds(120))
                        .until(() ->
                                view(q, wf.id()).state() == WorkflowState.SUCCEEDED && handler.started("done") >= 1);
            } finally {
                chaos.set(false);
                killer.interrupt();
                killer.join();
                w.stop();
            }
            assertThat(kills.get()).as("connections were killed").isGreaterThan(3);
            for (int i = 0; i < MEMBERS; i++) {
                assertThat(handler.started("m" + i)).as("member m%d once", i).isEqualTo(1);
            }
            assertThat(handler.started("done")).as("the callback once").isEqualTo(1);
            assertThat(handler.started("c")).as("c once").isEqualTo(1);
            int startC = handler.events.indexOf("start c");
            int endA = handler.events.indexOf("end a");
            for (int i = 0; i < MEMBERS; i++) {
                assertThat(handler.events.indexOf("start m" + i)).isGreaterThan(endA);
                assertThat(handler.events.indexOf("end m" + i)).isLessThan(startC);
            }
            System.out.printf(
                    "workflow with a batch step: %d members through %d connection KILLs%n", MEMBERS, kills.get());
        }
    }
}
