package dev.steadfast.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What flows between jobs, on a real server with both drivers: a workflow step reads its parent step's result by name
 * (the charge id reaches the invoice), a chained job reads its parent's by id, the workflow's view shows each step's
 * result, a batch's callback reads its batch's summary; and a callback or a dependent made pending by another job's
 * end is claimed at once by an idle worker, not at its next poll.
 */
@ExtendWith(SharedQueue.class)
class DataFlowTest {
    private static final MariaDbServer SERVER = MariaDbServer.shared();

    @SharedQueue.Open
    private static JobQueue migrated; // the schema, migrated once per JVM

    /** What the handlers saw, by job id. */
    private final Map<Long, ParentResults> parentsSeen = new ConcurrentHashMap<>();

    private final Map<Long, Long> workflowSeen = new ConcurrentHashMap<>();
    private final Map<Long, BatchView> batchSeen = new ConcurrentHashMap<>();

    record Charge(String chargeId, long cents) {}

    private JobHandler<JsonNode> charge() {
        return JobHandler.returning(
                "charge",
                JsonNode.class,
                (c, p) -> new Charge("ch_" + p.path("order").asText(), 1250));
    }

    private JobHandler<JsonNode> reader(String type) {
        return JobHandler.of(type, JsonNode.class, (c, p) -> {
            parentsSeen.put(c.jobId(), c.parentResults());
            if (c.workflowId() != null) {
                workflowSeen.put(c.jobId(), c.workflowId());
            }
            c.callbackBatch().ifPresent(b -> batchSeen.put(c.jobId(), b));
            c.result(Map.of("seen", true));
        });
    }

    private static JobRequest job(String type, String queueName, String payload) {
        return JobRequest.of(type)
                .queue(queueName)
                .maxAttempts(1)
                .payloadJson(payload)
                .build();
    }

    @ParameterizedTest
    @EnumSource(JdbcDriver.class)
    void theChargeIdReachesTheInvoiceAndTheWorkflowShowsEachStepsResult(JdbcDriver driver) throws Exception {
        String name = QueueTestSupport.uniqueQueue("flow");
        try (ResilientDatabase db = QueueTestSupport.database(SERVER, driver)) {
            JobQueue q = JobQueue.create(db, new ObjectMapper(), false);
            EnqueuedWorkflow w = q.workflows()
                    .enqueue(WorkflowRequest.named("order-7")
                            .step("charge", job("charge", name, "{\"order\":7}"))
                            .step("invoice", job("invoice", name, "{}"), "charge")
                            .build());
            long chained = q.enqueue(JobRequest.of("chained")
                    .queue(name)
                    .maxAttempts(1)
                    .after(w.steps().get("charge"))
                    .build());
            long invoice = w.steps().get("invoice");
            long chargeId = w.steps().get("charge");
            Worker worker = QueueTestSupport.fastWorker(q, name)
                    .handler(charge())
                    .handler(reader("invoice"))
                    .handler(reader("chained"))
                    .build();
            worker.start();
            try {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> q.browser().job(invoice).orElseThrow().status() == JobStatus.SUCCEEDED
                                && q.browser().job(chained).orElseThrow().status() == JobStatus.SUCCEEDED);
            } finally {
                worker.stop();
            }
            // by step name, read into a class, and by job id
            ParentResults forInvoice = parentsSeen.get(invoice);
            assertThat(forInvoice.step("charge", Charge.class)).isEqualTo(new Charge("ch_7", 1250));
            assertThat(forInvoice.byStep().keySet()).containsExactly("charge");
            assertThat(forInvoice.job(chargeId).path("chargeId").asText()).isEqualTo("ch_7");
            assertThat(forInvoice.parents()).containsExactly(Map.entry(chargeId, "charge"));
            assertThat(workflowSeen).containsEntry(invoice, w.id());
            // a chained job of no workflow, after a step: by job id, and by its parent's step name
            ParentResults forChained = parentsSeen.get(chained);
            assertThat(forChained.parents()).containsExactly(Map.entry(chargeId, "charge"));
            assertThat(forChained.job(chargeId, Charge.class)).isEqualTo(new Charge("ch_7", 1250));
            assertThat(workflowSeen).doesNotContainKey(chained);
            WorkflowView view = q.workflows().find(w.id()).orElseThrow();
            Map<String, String> results = new java.util.HashMap<>();
            view.steps().forEach(s -> results.put(s.name(), s.result()));
            assertThat(new ObjectMapper()
                            .readTree(results.get("charge"))
                            .path("chargeId")
                            .asText())
                    .isEqualTo("ch_7");
            assertThat(new ObjectMapper()
                            .readTree(results.get("invoice"))
                            .path("seen")
                            .asBoolean())
                    .isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(JdbcDriver.class)
    void aBatchCallbackReadsItsBatchsSummary(JdbcDriver driver) throws Exception {
        String name = QueueTestSupport.uniqueQueue("cb");
        try (ResilientDatabase db = QueueTestSupport.database(SERVER, driver)) {
            JobQueue q = JobQueue.create(db, new ObjectMapper(), false);
            BatchEnqueued batch = q.batches()
                    .enqueue(BatchRequest.create()
                            .add(job("member", name, "{\"ok\":true}"))
                            .add(job("member", name, "{\"ok\":true}"))
                            .add(job("member", name, "{\"ok\":false}"))
                            .onComplete(job("done", name, "{}")));
            Worker worker = QueueTestSupport.fastWorker(q, name)
                    .handler(JobHandler.of("member", JsonNode.class, (c, p) -> {
                        if (!p.path("ok").asBoolean()) {
                            throw new NonRetryableException("member fails as told");
                        }
                    }))
                    .handler(reader("done"))
                    .build();
            worker.start();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> !batchSeen.isEmpty());
            } finally {
                worker.stop();
            }
            long callback = q.batches().find(batch.id()).orElseThrow().onCompleteJob();
            BatchView seen = batchSeen.get(callback);
            assertThat(seen.id()).isEqualTo(batch.id());
            assertThat(seen.total()).isEqualTo(3);
            assertThat(seen.succeeded()).isEqualTo(2);
            assertThat(seen.failed()).isEqualTo(1);
            assertThat(seen.finished()).isEqualTo(3);
            assertThat(parentsSeen.get(callback).parents()).isEmpty();
        }
    }

    /**
     * A worker that idles for a minute between polls starts a callback and a fan-in step as soon as another worker's
     * success made them pending: without the wake-up after that commit they would wait for its next poll.
     */
    @ParameterizedTest
    @EnumSource(JdbcDriver.class)
    void aCallbackAndADependentMadePendingWakeAnIdleWorker(JdbcDriver driver) throws Exception {
        String parents = QueueTestSupport.uniqueQueue("up");
        String children = QueueTestSupport.uniqueQueue("down");
        try (ResilientDatabase db = QueueTestSupport.database(SERVER, driver)) {
            JobQueue q = JobQueue.create(db, new ObjectMapper(), false);
            Worker sleepy = Worker.builder(q)
                    .queues(List.of(children))
                    .pollInterval(Duration.ofSeconds(60), Duration.ofSeconds(60))
                    .handler(reader("done"))
                    .handler(reader("invoice"))
                    .build();
            Worker busy =
                    QueueTestSupport.fastWorker(q, parents).handler(charge()).build();
            sleepy.start();
            busy.start();
            try {
                EnqueuedWorkflow w = q.workflows()
                        .enqueue(WorkflowRequest.named("wake")
                                .step("charge", job("charge", parents, "{\"order\":1}"))
                                .step("invoice", job("invoice", children, "{}"), "charge")
                                .build());
                long invoice = w.steps().get("invoice");
                BatchEnqueued batch = q.batches()
                        .enqueue(BatchRequest.create()
                                .add(job("charge", parents, "{\"order\":2}"))
                                .onSuccess(job("done", children, "{}")));
                await().atMost(Duration.ofSeconds(30)).until(() -> parentsSeen.containsKey(invoice));
                await().atMost(Duration.ofSeconds(30)).until(() -> !batchSeen.isEmpty());
                assertThat(batchSeen.values().iterator().next().id()).isEqualTo(batch.id());
            } finally {
                busy.stop();
                sleepy.stop();
            }
        }
    }
}
