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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Chains ({@code after}) and workflows on a real server, both drivers: order, fan-out and fan-in (the fan-in step
 * runs once, after all its parents), each failure policy, cancel and retry of a workflow, refusals, the waiting state
 * in the census, a 1,000-wide fan-in under concurrent workers, and a diamond run while connections are KILLed.
 */
@ExtendWith(SharedQueue.class)
class WorkflowTest {
    private static final MariaDbServer SERVER = MariaDbServer.shared();

    @SharedQueue.Open
    private static JobQueue queue;

    /** Runs steps named by their payload; records starts and ends; fails the names in {@link #failing}. */
    static final class Steps implements JobHandler<JsonNode> {
        final List<String> events = new CopyOnWriteArrayList<>();
        final Map<String, AtomicInteger> starts = new ConcurrentHashMap<>();
        final Set<String> failing = ConcurrentHashMap.newKeySet();
        final Map<String, List<String>> parentsEndedAtStart = new ConcurrentHashMap<>();
        volatile Function<String, List<String>> parentsOf = name -> List.of();
        volatile long workMs;

        @Override
        public String type() {
            return "step";
        }

        @Override
        public Class<JsonNode> payloadType() {
            return JsonNode.class;
        }

        @Override
        public void handle(JobContext context, JsonNode payload) {
            String name = payload.path("name").asText();
            starts.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
            List<String> ended = parentsOf.apply(name).stream()
                    .filter(p -> events.contains("end " + p))
                    .toList();
            parentsEndedAtStart.put(name, ended);
            events.add("start " + name);
            if (workMs > 0) {
                try {
                    Thread.sleep(workMs); // the work of a job handler
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            if (failing.contains(name)) {
                events.add("fail " + name);
                throw new IllegalStateException("step " + name + " fails as told");
            }
            events.add("end " + name);
        }

        int started(String name) {
            AtomicInteger n = starts.get(name);
            return n == null ? 0 : n.get();
        }
    }

    private static JobRequest step(String queueName, String name) {
        return JobRequest.of("step")
                .queue(queueName)
                .maxAttempts(1)
                .payloadJson("{\"name\":\"" + name + "\"}")
                .build();
    }

    private static Worker worker(JobQueue q, String name, Steps steps, int threads) {
        return QueueTestSupport.fastWorker(q, name)
                .handler(steps)
                .concurrency(threads)
                .build();
    }

    private static JobStatus status(JobQueue q, long id) throws Exception {
        return q.browser().job(id).orElseThrow().status();
    }

    @ParameterizedTest
    @EnumSource(JdbcDriver.class)
    void aChainRunsInOrderAndWaitsUntilThen(JdbcDriver driver) throws Exception {
        String name = QueueTestSupport.uniqueQueue("chain");
        try (ResilientDatabase db = QueueTestSupport.database(SERVER, driver)) {
            JobQueue q = JobQueue.create(db, new ObjectMapper(), false);
            long a = q.enqueue(step(name, "a"));
            long b = q.enqueue(JobRequest.of("step")
                    .queue(name)
                    .maxAttempts(1)
                    .payloadJson("{\"name\":\"b\"}")
                    .after(a)
                    .build());
            long c = q.submit(JobRequest.of("step")
                            .queue(name)
                            .maxAttempts(1)
                            .payloadJson("{\"name\":\"c\"}")
                            .after(b)
                            .build())
                    .id();
            assertThat(status(q, a)).isEqualTo(JobStatus.PENDING);
            assertThat(status(q, b)).isEqualTo(JobStatus.WAITING);
            assertThat(status(q, c)).isEqualTo(JobStatus.WAITING);
            QueueCounts counts = q.stats().queues().get(name);
            assertThat(counts.waiting()).as("the census counts waiting jobs").isEqualTo(2);
            assertThat(counts.pending()).isEqualTo(1);
            assertThat(q.count(JobFilter.all().queue(name).status(JobStatus.WAITING), 10))
                    .isEqualTo(2);
            assertThat(q.workflows().parents(c)).hasSize(1).containsEntry(b, null);

            Steps steps = new Steps();
            Worker w = worker(q, name, steps, 4);
            w.start();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> status(q, c) == JobStatus.SUCCEEDED);
            } finally {
                w.stop();
            }
            assertThat(steps.events).containsExactly("start a", "end a", "start b", "end b", "start c", "end c");
            // after a job that already succeeded: pending at once
            long d = q.enqueue(JobRequest.of("step")
                    .queue(name)
                    .payloadJson("{\"name\":\"d\"}")
                    .after(a, c)
                    .build());
            assertThat(status(q, d)).isEqualTo(JobStatus.PENDING);
        }
    }

    @ParameterizedTest
    @EnumSource(JdbcDriver.class)
    void aDiamondAndAWideFanOutFanInRunEachStepOnceAfterItsParents(JdbcDriver driver) throws Exception {
        String name = QueueTestSupport.uniqueQueue("fan");
        int wide = 200;
        try (ResilientDatabase db = QueueTestSupport.database(SERVER, driver)) {
            JobQueue q = JobQueue.create(db, new ObjectMapper(), false);
            WorkflowRequest.Builder fan = WorkflowRequest.named("fan")
                    .step("root", step(name, "root"))
                    .step("b", step(name, "b"), "root")
                    .step("c", step(name, "c"), "root");
            String[] mids = new String[wide];
            for (int i = 0; i < wide; i++) {
                mids[i] = "m" + i;
                fan.step(mids[i], step(name, mids[i]), "b", "c"); // a diamond root -> (b, c) -> each mid
            }
            fan.step("in", step(name, "in"), mids);
            EnqueuedWorkflow wf = q.workflows().enqueue(fan.build());
            assertThat(wf.steps()).hasSize(wide + 4);
            WorkflowView before = q.workflows().find(wf.id()).orElseThrow();
            assertThat(before.state()).isEqualTo(WorkflowState.RUNNING);
            assertThat(before.counts()).containsEntry("pending", 1L).containsEntry("waiting", (long) wide + 3);
            assertThat(before.steps().get(before.steps().size() - 1).after()).hasSize(wide);

            Steps steps = new Steps();
            Map<String, List<String>> parents = new ConcurrentHashMap<>();
            before.steps().forEach(s -> parents.put(s.name(), s.after()));
            steps.parentsOf = n -> parents.getOrDefault(n, List.of());
            Worker w = worker(q, name, steps, 8);
            w.start();
            try {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> q.workflows().find(wf.id()).orElseThrow().state() == WorkflowState.SUCCEEDED);
            } finally {
                w.stop();
            }
            for (String step : wf.steps().keySet()) {
                assertThat(steps.started(step)).as("step %s ran once", step).isEqualTo(1);
                assertThat(steps.parentsEndedAtStart.get(step))
                        .as("step %s started after all its parents ended", step)
                        .containsExactlyInAnyOrderElementsOf(parents.get(step));
            }
            WorkflowView after = q.workflows().find(wf.id()).orElseThrow();
            assertThat(after.finishedAt()).isNotNull();
            assertThat(q.workflows().list(null, 10))
                    .extracting(WorkflowView::id)
                    .contains(wf.id());
            assertThat(q.workflows().ofJob(wf.steps().get("in"))).contains(Map.entry(wf.id(), "in"));
        }
    }

    @Test
    void cyclesUnknownStepsAndBadParentsAreRefusedWithOneLine() throws Exception {
        String name = QueueTestSupport.uniqueQueue("refuse");
        assertThatThrownBy(() -> WorkflowRequest.named("loop")
                        .step("a", step(name, "a"), "c")
                        .step("b", step(name, "b"), "a")
                        .step("c", step(name, "c"), "b")
                        .step("d", step(name, "d"))
                        .build())
                .isInstanceOf(DependencyException.class)
                .hasMessage("workflow 'loop' has a cycle: a -> b -> c -> a");
        assertThatThrownBy(() -> WorkflowRequest.named("w")
                        .step("a", step(name, "a"), "nope")
                        .build())
                .isInstanceOf(DependencyException.class)
                .hasMessage("step 'a' of workflow 'w' runs after 'nope', which is not a step of it");
        assertThatThrownBy(() -> WorkflowRequest.named("w")
                        .step("a", step(name, "a"))
                        .step("a", step(name, "a"))
                        .build())
                .isInstanceOf(DependencyException.class)
                .hasMessageContaining("declares step 'a' twice");
        assertThatThrownBy(() -> WorkflowRequest.named("w")
                        .step("a", step(name, "a"), "a")
                        .build())
                .isInstanceOf(DependencyException.class)
                .hasMessageContaining("runs after itself");
        assertThatThrownBy(() -> JobRequest.of("step").after(1).uniqueKey("k").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unique key");

        long unknown = SERVER.queryLong("SELECT COALESCE(MAX(id), 0) + 1000000 FROM sf_job");
        long before = queue.count(JobFilter.all().queue(name), 100);
        assertThatThrownBy(() -> queue.enqueue(
                        JobRequest.of("step").queue(name).after(unknown).build()))
                .isInstanceOf(DependencyException.class)
                .hasMessage("job " + unknown + " does not exist (an unknown id, or a job finished and purged):"
                        + " a job can only run after an existing job");
        long failed = queue.enqueue(step(name, "x"));
        Steps steps = new Steps();
        steps.failing.add("x");
        Worker w = worker(queue, name, steps, 1);
        w.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> status(queue, failed) == JobStatus.FAILED);
        } finally {
            w.stop();
        }
        assertThatThrownBy(() -> queue.enqueueAll(List.of(
                        step(name, "fine"),
                        JobRequest.of("step").queue(name).after(failed).build())))
                .isInstanceOf(DependencyException.class)
                .hasMessage("job " + failed + " failed: a job cannot run after it (retry it first, or enqueue"
                        + " without it)");
        long cancelled = queue.enqueue(
                JobRequest.of("step").queue(name).delay(Duration.ofHours(1)).build());
        queue.cancel(cancelled);
        assertThatThrownBy(() -> queue.enqueue(
                        JobRequest.of("step").queue(name).after(cancelled).build()))
                .isInstanceOf(DependencyException.class)
                .hasMessageContaining("was cancelled");
        assertThat(queue.count(JobFilter.all().queue(name), 100))
                .as("nothing was enqueued by the refusals")
                .isEqualTo(before + 2);
    }

    /** root fails; a and b run after it; c after a. The policy decides what becomes of a, b and c. */
    private static EnqueuedWorkflow failingRoot(String name, FailurePolicy policy) throws Exception {
        return queue.workflows()
                .enqueue(WorkflowRequest.named("policy-" + policy.text())
                        .step("root", step(name, "root"))
                        .step("a", step(name, "a"), "root")
                        .step("b", step(name, "b"), "root")
                        .step("c", step(name, "c"), "a")
                        .onFailure(policy)
                        .build());
    }

    @Test
    void eachFailurePolicyAndRetryUnderWait() throws Exception {
        String name = QueueTestSupport.uniqueQueue("policy");
        Steps steps = new Steps();
        steps.failing.add("root");
        Worker w = worker(queue, name, steps, 4);
        w.start();
        try {
            EnqueuedWorkflow cancel = failingRoot(name, FailurePolicy.CANCEL_DEPENDENTS);
            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            queue.workflows().find(cancel.id()).orElseThrow().state() == WorkflowState.FAILED);
            for (String s : List.of("a", "b", "c")) {
                assertThat(status(queue, cancel.steps().get(s)))
                        .as("%s cancelled, recursively", s)
                        .isEqualTo(JobStatus.CANCELLED);
            }

            EnqueuedWorkflow go = failingRoot(name, FailurePolicy.CONTINUE);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> queue.workflows().find(go.id()).orElseThrow().state() == WorkflowState.FAILED);
            for (String s : List.of("a", "b", "c")) {
                assertThat(status(queue, go.steps().get(s)))
                        .as("%s ran anyway", s)
                        .isEqualTo(JobStatus.SUCCEEDED);
            }

            EnqueuedWorkflow hold = failingRoot(name, FailurePolicy.WAIT);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> queue.workflows().find(hold.id()).orElseThrow().state() == WorkflowState.WAITING);
            // proves an absence: the dependents of a failed step under 'wait' do not start
            Thread.sleep(300);
            for (String s : List.of("a", "b", "c")) {
                assertThat(status(queue, hold.steps().get(s))).isEqualTo(JobStatus.WAITING);
            }
            int ranBefore = steps.started("a");
            steps.failing.remove("root");
            assertThat(queue.workflows().retry(hold.id())).contains(1);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> queue.workflows().find(hold.id()).orElseThrow().state() == WorkflowState.SUCCEEDED);
            assertThat(steps.started("a")).isEqualTo(ranBefore + 1);

            // under 'cancel_dependents', a retry brings back the steps the failure cancelled, recursively
            assertThat(queue.workflows().retry(cancel.id())).contains(1);
            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            queue.workflows().find(cancel.id()).orElseThrow().state() == WorkflowState.SUCCEEDED);
            for (String s : List.of("a", "b", "c")) {
                assertThat(status(queue, cancel.steps().get(s)))
                        .as("%s ran after the retry", s)
                        .isEqualTo(JobStatus.SUCCEEDED);
            }

            // under 'continue' a failed parent retried and succeeding does not count twice: c waits for its other
            // parent
            steps.failing.add("root");
            EnqueuedWorkflow again = queue.workflows()
                    .enqueue(WorkflowRequest.named("twice")
                            .step("root", step(name, "root"))
                            .step(
                                    "later",
                                    JobRequest.of("step")
                                            .queue(name)
                                            .maxAttempts(1)
                                            .payloadJson("{\"name\":\"later\"}")
                                            .delay(Duration.ofHours(1))
                                            .build())
                            .step("c", step(name, "c"), "root", "later")
                            .onFailure(FailurePolicy.CONTINUE)
                            .build());
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> status(queue, again.steps().get("root")) == JobStatus.FAILED);
            steps.failing.remove("root");
            assertThat(queue.workflows().retry(again.id())).contains(1);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> status(queue, again.steps().get("root")) == JobStatus.SUCCEEDED);
            assertThat(status(queue, again.steps().get("c")))
                    .as("still waiting for 'later': the retried parent's success met an edge already met")
                    .isEqualTo(JobStatus.WAITING);
            assertThat(queue.runNow(again.steps().get("later"))).isTrue();
            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            queue.workflows().find(again.id()).orElseThrow().state() == WorkflowState.SUCCEEDED);

            // a step's own policy beats the workflow's: b continues, a (and so c) is cancelled
            steps.failing.add("root");
            EnqueuedWorkflow mixed = queue.workflows()
                    .enqueue(WorkflowRequest.named("mixed")
                            .step("root", step(name, "root"))
                            .step("a", step(name, "a"), "root")
                            .step("b", step(name, "b"), "root")
                            .step("c", step(name, "c"), "a")
                            .onFailure("b", FailurePolicy.CONTINUE)
                            .build());
            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            queue.workflows().find(mixed.id()).orElseThrow().state() == WorkflowState.FAILED);
            assertThat(status(queue, mixed.steps().get("a"))).isEqualTo(JobStatus.CANCELLED);
            assertThat(status(queue, mixed.steps().get("b"))).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(status(queue, mixed.steps().get("c"))).isEqualTo(JobStatus.CANCELLED);
        } finally {
            w.stop();
        }
    }

    @Test
    void cancellingAWorkflowCancelsItsWaitingAndPendingSteps() throws Exception {
        String name = QueueTestSupport.uniqueQueue("wfcancel");
        EnqueuedWorkflow wf = queue.workflows()
                .enqueue(WorkflowRequest.named("to-cancel")
                        .step("a", step(name, "a"))
                        .step("b", step(name, "b"), "a")
                        .step("c", step(name, "c"), "b")
                        .build());
        assertThat(queue.workflows().cancel(wf.id())).contains(3);
        WorkflowView view = queue.workflows().find(wf.id()).orElseThrow();
        assertThat(view.state()).isEqualTo(WorkflowState.CANCELLED);
        assertThat(view.counts()).containsOnly(Map.entry("cancelled", 3L));
        // purged with its jobs: their edges, then the workflow once no step is left
        SERVER.execute("UPDATE sf_job SET run_at = NOW(3) - INTERVAL 25 HOUR, finished_at = NOW(3) - INTERVAL 25 HOUR"
                + " WHERE workflow_id = " + wf.id());
        int purged = queue.database()
                .read(c -> new dev.steadfast.queue.internal.store.Store()
                        .purges()
                        .purgeCancelled(c, Duration.ofHours(24), 1000));
        assertThat(purged).isGreaterThanOrEqualTo(3);
        assertThat(queue.workflows().find(wf.id())).isEmpty();
        assertThat(SERVER.queryLong("SELECT COUNT(*) FROM sf_job_dependency WHERE child_id IN ("
                        + wf.steps().get("b") + ", " + wf.steps().get("c") + ")"))
                .isZero();
        assertThat(queue.workflows().cancel(Long.MAX_VALUE)).isEmpty();
        assertThat(queue.workflows().find(Long.MAX_VALUE)).isEmpty();

        // cancel by filter includes waiting jobs
        long a = queue.enqueue(
                JobRequest.of("step").queue(name).delay(Duration.ofHours(1)).build());
        long b = queue.enqueue(JobRequest.of("step").queue(name).after(a).build());
        assertThat(queue.cancel(JobFilter.all().queue(name).status(JobStatus.WAITING)))
                .isEqualTo(1);
        assertThat(status(queue, b)).isEqualTo(JobStatus.CANCELLED);
        assertThat(status(queue, a)).isEqualTo(JobStatus.SCHEDULED);
    }

    @Test
    void aThousandWideFanInUnderConcurrentWorkersRunsTheFanInOnce() throws Exception {
        String name = QueueTestSupport.uniqueQueue("fanin");
        int wide = 1000;
        WorkflowRequest.Builder fan = WorkflowRequest.named("fan-in");
        String[] parents = new String[wide];
        for (int i = 0; i < wide; i++) {
            parents[i] = "p" + i;
            fan.step(parents[i], step(name, parents[i]));
        }
        fan.step("in", step(name, "in"), parents);
        long t0 = System.nanoTime();
        EnqueuedWorkflow wf = queue.workflows().enqueue(fan.build());
        long enqueueMs = (System.nanoTime() - t0) / 1_000_000;
        Steps steps = new Steps();
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < 3; i++) { // three workers finishing parents at once, each batching its successes
            workers.add(worker(queue, name, steps, 8));
        }
        workers.forEach(Worker::start);
        try {
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> queue.workflows().find(wf.id()).orElseThrow().state() == WorkflowState.SUCCEEDED);
        } finally {
            workers.forEach(Worker::stop);
        }
        assertThat(steps.started("in")).isEqualTo(1);
        assertThat(steps.events.indexOf("start in"))
                .as("the fan-in started last")
                .isEqualTo(steps.events.size() - 2);
        System.out.printf("workflow: a 1,000-wide fan-in enqueued in %d ms%n", enqueueMs);
    }

    @ParameterizedTest
    @EnumSource(JdbcDriver.class)
    void aDiamondRunsEachStepOnceWhileConnectionsAreKilled(JdbcDriver driver) throws Exception {
        try (ResilientDatabase db = QueueTestSupport.database(SERVER, driver)) {
            diamondsUnderKills(JobQueue.create(db, new ObjectMapper(), false));
        }
    }

    private static void diamondsUnderKills(JobQueue queue) throws Exception {
        String name = QueueTestSupport.uniqueQueue("killed");
        int wide = 200;
        Steps steps = new Steps();
        steps.workMs = 20;
        Worker w = worker(queue, name, steps, 8);
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
                    Thread.sleep(50); // the pace of the fault injector
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // the next round tries again
                }
            }
        });
        List<EnqueuedWorkflow> flows = new ArrayList<>();
        w.start();
        killer.start();
        try {
            for (int round = 0; round < 3; round++) {
                WorkflowRequest.Builder fan = WorkflowRequest.named("diamond").step("root", step(name, round + "root"));
                String[] mids = new String[wide];
                for (int i = 0; i < wide; i++) {
                    mids[i] = round + "m" + i;
                    fan.step(mids[i], step(name, mids[i]), "root");
                }
                fan.step("in", step(name, round + "in"), mids);
                flows.add(queue.workflows().enqueue(fan.build()));
            }
            await().atMost(Duration.ofSeconds(180)).until(() -> {
                for (EnqueuedWorkflow f : flows) {
                    if (queue.workflows().find(f.id()).orElseThrow().state() != WorkflowState.SUCCEEDED) {
                        return false;
                    }
                }
                return true;
            });
        } finally {
            chaos.set(false);
            killer.interrupt();
            killer.join();
            w.stop();
        }
        assertThat(kills.get()).as("connections were killed").isGreaterThan(5);
        Map<String, Integer> ran = steps.starts.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get()));
        assertThat(ran).hasSize(3 * (wide + 2));
        assertThat(ran.values()).as("every step once").containsOnly(1);
        for (int round = 0; round < 3; round++) {
            int in = steps.events.indexOf("start " + round + "in");
            for (int i = 0; i < wide; i++) {
                assertThat(steps.events.indexOf("end " + round + "m" + i)).isLessThan(in);
            }
        }
    }
}
