package dev.steadfast.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.testkit.TestDatabase;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The groups-and-flows workload of the chaos tests: one batch of {@code members} jobs (half {@code ledger}, written in
 * the transaction that records their success, half {@code noop}, whose successes go through the worker's batched
 * writes) with an on-success and an on-complete callback (both {@code ledger}), and a diamond workflow: {@code root},
 * then {@code fanOut} steps after it, then {@code fan-in} after all of them (all {@code ledger}). Table {@code ledger}
 * must exist. {@link #verify} checks, after it all ran: every member once, each callback once, the fan-in once and
 * after all its parents.
 */
final class FlowWorkload {
    private final String queue;
    private final int members;
    private final int fanOut;
    private long batchId;
    private long workflowId;
    private long rootJob;
    private long fanInJob;

    FlowWorkload(String queue, int members, int fanOut) {
        this.queue = queue;
        this.members = members;
        this.fanOut = fanOut;
    }

    /** Ledger rows once everything ran: the ledger members, two callbacks, and every step. */
    long ledgerRows() {
        return (members + 1) / 2 + 2 + fanOut + 2;
    }

    void enqueue(JobQueue jobs) throws SQLException {
        BatchRequest batch =
                jobs.batch().description("chaos members").onSuccess(ledger()).onComplete(ledger());
        List<JobRequest> all = new ArrayList<>(members);
        for (int i = 0; i < members; i++) {
            all.add(JobRequest.of(i % 2 == 0 ? "ledger" : "noop")
                    .queue(queue)
                    .maxAttempts(25)
                    .build());
        }
        batchId = batch.addAll(all).enqueue().id();
        WorkflowRequest.Builder diamond = WorkflowRequest.named("chaos-diamond").step("root", ledger());
        String[] fans = new String[fanOut];
        for (int i = 0; i < fanOut; i++) {
            fans[i] = "fan-" + i;
            diamond.step(fans[i], ledger(), "root");
        }
        diamond.step("fan-in", ledger(), fans);
        EnqueuedWorkflow workflow = jobs.workflows().enqueue(diamond.build());
        workflowId = workflow.id();
        rootJob = workflow.steps().get("root");
        fanInJob = workflow.steps().get("fan-in");
    }

    private JobRequest ledger() {
        return JobRequest.of("ledger").queue(queue).maxAttempts(25).build();
    }

    /** Whether the batch, its callbacks and the workflow have all ended. */
    boolean done(JobQueue jobs) throws SQLException {
        BatchView batch = jobs.batches().find(batchId).orElseThrow();
        WorkflowView workflow = jobs.workflows().find(workflowId).orElseThrow();
        return batch.state() != BatchState.RUNNING
                && workflow.state().finished()
                && batch.onSuccessJob() != null
                && batch.onCompleteJob() != null
                && jobs.browser().job(batch.onSuccessJob()).orElseThrow().status() == JobStatus.SUCCEEDED
                && jobs.browser().job(batch.onCompleteJob()).orElseThrow().status() == JobStatus.SUCCEEDED;
    }

    /** How many of the batch's members have finished (for faults keyed to its progress). */
    long membersFinished(TestDatabase server) throws SQLException {
        return server.queryLong("SELECT succeeded + failed + cancelled FROM sf_batch WHERE id = " + batchId);
    }

    void verify(JobQueue jobs, TestDatabase server) throws SQLException {
        BatchView batch = jobs.batches().find(batchId).orElseThrow();
        assertThat(batch.state()).as("the batch succeeded").isEqualTo(BatchState.SUCCEEDED);
        assertThat(batch.total()).isEqualTo(members);
        assertThat(batch.succeeded()).as("every member counted once").isEqualTo(members);
        assertThat(batch.failed() + batch.cancelled() + batch.pending() + batch.running())
                .isZero();
        assertThat(server.queryLong(
                        "SELECT COUNT(*) FROM sf_job WHERE batch_id = " + batchId + " AND state = 'succeeded'"))
                .as("every member succeeded")
                .isEqualTo(members);
        assertThat(server.queryLong(
                        "SELECT COUNT(*) FROM ledger l JOIN sf_job j ON j.id = l.job_id WHERE j.batch_id = " + batchId))
                .as("each ledger member's effect exactly once")
                .isEqualTo((members + 1) / 2);
        assertThat(server.queryLong("SELECT COUNT(*) FROM sf_job WHERE callback_of = " + batchId))
                .as("each callback enqueued exactly once")
                .isEqualTo(2);
        assertThat(server.queryLong(
                        "SELECT COUNT(*) FROM ledger l JOIN sf_job j ON j.id = l.job_id WHERE j.callback_of = "
                                + batchId))
                .as("each callback ran exactly once")
                .isEqualTo(2);
        assertThat(server.queryLong("SELECT COUNT(*) FROM sf_job c JOIN sf_job m ON m.batch_id = " + batchId
                        + " WHERE c.callback_of = " + batchId + " AND c.created_at < m.finished_at"))
                .as("no callback enqueued before the last member finished")
                .isZero();

        WorkflowView workflow = jobs.workflows().find(workflowId).orElseThrow();
        assertThat(workflow.state()).as("the diamond succeeded").isEqualTo(WorkflowState.SUCCEEDED);
        assertThat(workflow.steps()).hasSize(fanOut + 2);
        assertThat(workflow.steps()).allMatch(step -> step.status() == JobStatus.SUCCEEDED);
        String steps = "SELECT id FROM sf_job WHERE workflow_id = " + workflowId;
        assertThat(server.queryLong("SELECT COUNT(*) FROM ledger WHERE job_id IN (" + steps + ")"))
                .as("each step's effect exactly once")
                .isEqualTo(fanOut + 2);
        String fans = steps + " AND id NOT IN (" + rootJob + ", " + fanInJob + ")";
        assertThat(server.queryLong("SELECT COUNT(*) FROM ledger f, ledger r WHERE r.job_id = " + rootJob
                        + " AND f.job_id IN (" + fans + ") AND f.at < r.at"))
                .as("no fan-out step ran before the root committed")
                .isZero();
        assertThat(server.queryLong("SELECT COUNT(*) FROM ledger f, ledger i WHERE i.job_id = " + fanInJob
                        + " AND f.job_id IN (" + fans + ") AND f.at > i.at"))
                .as("the fan-in ran after all its parents")
                .isZero();
        assertThat(server.queryLong(
                        "SELECT COUNT(*) FROM sf_job WHERE id = " + fanInJob + " AND attempt_log LIKE '%succeeded%'"))
                .isEqualTo(1);
    }
}
