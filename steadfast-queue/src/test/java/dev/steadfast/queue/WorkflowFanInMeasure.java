package dev.steadfast.queue;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steadfast.testkit.MariaDbServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Figures for BENCHMARKS.md (#29), not part of the suite (its name matches no test pattern): run with
 * {@code -Dtest=WorkflowFanInMeasure}. The enqueue of a 1,000-wide fan-out and fan-in workflow, and the time from the
 * last parent's end (its {@code finished_at}, written by the statement that commits it) to the fan-in step starting,
 * with three workers of eight threads on one shared server.
 */
@ExtendWith(SharedQueue.class)
class WorkflowFanInMeasure {
    private static final MariaDbServer SERVER = MariaDbServer.shared();

    @SharedQueue.Open
    private static JobQueue queue;

    @Test
    void fanOutEnqueueAndFanInLatency() throws Exception {
        int wide = 1000;
        int rounds = 7;
        List<Long> enqueueMs = new ArrayList<>();
        List<Long> latencyMs = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            String name = QueueTestSupport.uniqueQueue("measure");
            Map<Long, Instant> started = new ConcurrentHashMap<>();
            JobHandler<JsonNode> step = JobHandler.of("m", JsonNode.class, (context, payload) -> {
                started.putIfAbsent(context.jobId(), Instant.now());
            });
            WorkflowRequest.Builder fan = WorkflowRequest.named("measure")
                    .step("root", JobRequest.of("m").queue(name).build());
            String[] mids = new String[wide];
            for (int i = 0; i < wide; i++) {
                mids[i] = "m" + i;
                fan.step(mids[i], JobRequest.of("m").queue(name).build(), "root");
            }
            fan.step("in", JobRequest.of("m").queue(name).build(), mids);
            WorkflowRequest request = fan.build();
            long t0 = System.nanoTime();
            EnqueuedWorkflow wf = queue.workflows().enqueue(request);
            enqueueMs.add((System.nanoTime() - t0) / 1_000_000);
            List<Worker> workers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                workers.add(QueueTestSupport.fastWorker(queue, name)
                        .handler(step)
                        .concurrency(8)
                        .build());
            }
            workers.forEach(Worker::start);
            try {
                await().atMost(Duration.ofSeconds(120))
                        .until(() ->
                                queue.workflows().find(wf.id()).orElseThrow().state() == WorkflowState.SUCCEEDED);
            } finally {
                workers.forEach(Worker::stop);
            }
            long lastParentMicros = SERVER.queryLong("SELECT MAX(UNIX_TIMESTAMP(finished_at) * 1000000) FROM sf_job"
                    + " WHERE workflow_id = " + wf.id() + " AND step_name <> 'in' AND step_name <> 'root'");
            Instant fanIn = started.get(wf.steps().get("in"));
            latencyMs.add((fanIn.toEpochMilli() * 1000 - lastParentMicros) / 1000);
        }
        System.out.printf(
                Locale.ROOT,
                "workflow measure: enqueue of a 1,000-wide fan-out + fan-in (1,002 steps, 2,000 edges) ms %s;"
                        + " last parent's end to fan-in start ms %s (p50 %d, p99/max %d)%n",
                enqueueMs,
                latencyMs,
                percentile(latencyMs, 50),
                percentile(latencyMs, 99));
    }

    private static long percentile(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
