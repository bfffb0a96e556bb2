package dev.steadfast.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.steadfast.queue.BatchEnqueued;
import dev.steadfast.queue.BatchRequest;
import dev.steadfast.queue.BatchView;
import dev.steadfast.queue.EnqueuedWorkflow;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.JobRequest;
import dev.steadfast.queue.JobStatus;
import dev.steadfast.queue.WorkflowRequest;
import dev.steadfast.spring.flows.FlowsApplication;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Flows from beans: handler beans run a workflow whose step reads its parent's result and a batch whose callback reads
 * its summary, through the auto-configured {@link JobQueue}; the endpoint counts waiting jobs; the worker's result size
 * limit comes from {@code steadfast.worker.max-result-size}.
 */
@SpringBootTest(
        classes = FlowsApplication.class,
        properties = {
            "steadfast.worker.queues=flows",
            "steadfast.worker.poll-max=100ms",
            "steadfast.worker.max-result-size=1KB"
        })
@DirtiesContext // closed while the test's database still runs
class FlowsStarterTest {
    static final MariaDbServer SERVER = MariaDbServer.shared();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> SERVER.url(JdbcDriver.MARIADB));
        registry.add("spring.datasource.username", SERVER::user);
        registry.add("spring.datasource.password", SERVER::password);
    }

    @Autowired
    JobQueue queue;

    @Autowired
    SteadfastEndpoint endpoint;

    @Autowired
    SteadfastProperties properties;

    private static JobRequest job(String type, Object payload) {
        return JobRequest.of(type)
                .queue("flows")
                .maxAttempts(1)
                .payload(payload)
                .build();
    }

    @Test
    void aWorkflowStepReadsItsParentsResultAndABatchCallbackItsSummary() throws Exception {
        EnqueuedWorkflow order = queue.workflows()
                .enqueue(WorkflowRequest.named("order-7")
                        .step("charge", job("charge", new FlowsApplication.Order(7, 1250)))
                        .step("invoice", job("invoice", new FlowsApplication.Nothing()), "charge")
                        .build());
        BatchEnqueued rows = queue.batches()
                .enqueue(BatchRequest.create()
                        .add(
                                job("import-row", new FlowsApplication.Row(1)),
                                job("import-row", new FlowsApplication.Row(2)))
                        .add(job("import-row", new FlowsApplication.Row(3)))
                        .onSuccess(job("import-done", new FlowsApplication.Nothing())));
        long invoice = order.steps().get("invoice");
        await().atMost(Duration.ofSeconds(30)).until(() -> FlowsApplication.INVOICED.containsKey(invoice));
        assertThat(FlowsApplication.INVOICED.get(invoice)).isEqualTo("ch_7 1250");
        await().atMost(Duration.ofSeconds(30)).until(() -> FlowsApplication.IMPORTED.containsKey(rows.id()));
        BatchView seen = FlowsApplication.IMPORTED.get(rows.id());
        assertThat(seen.total()).isEqualTo(3);
        assertThat(seen.succeeded()).isEqualTo(3);
        // the workflow's view shows the charge's result
        assertThat(queue.workflows().find(order.id()).orElseThrow().steps())
                .filteredOn(s -> s.name().equals("charge"))
                .singleElement()
                .satisfies(s -> assertThat(s.result()).contains("\"chargeId\":\"ch_7\""));
    }

    @Test
    void theEndpointCountsWaitingJobs() throws Exception {
        // a parent on a queue no worker here claims: its child waits
        long parent = queue.enqueue(JobRequest.of("charge")
                .queue("flows-elsewhere")
                .payload(new FlowsApplication.Order(8, 1))
                .build());
        long child = queue.enqueue(JobRequest.of("invoice")
                .queue("flows")
                .payload(new FlowsApplication.Nothing())
                .after(parent)
                .build());
        try {
            assertThat(queue.browser().job(child).orElseThrow().status()).isEqualTo(JobStatus.WAITING);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> ((Number) endpoint.stats().get("waiting")).longValue() >= 1);
        } finally {
            queue.cancel(parent); // its child is cancelled with it
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> queue.browser().job(child).orElseThrow().status() == JobStatus.CANCELLED);
    }

    @Test
    void aResultOverMaxResultSizeFailsItsJob() throws Exception {
        assertThat(properties.worker().maxResultBytes()).isEqualTo(1024);
        long job = queue.enqueue(job("too-much", new FlowsApplication.Nothing()));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> queue.browser().job(job).orElseThrow().status() == JobStatus.FAILED);
        assertThat(queue.browser().failure(job).orElseThrow().message())
                .contains("over the worker's limit of 1024 bytes");
    }
}
