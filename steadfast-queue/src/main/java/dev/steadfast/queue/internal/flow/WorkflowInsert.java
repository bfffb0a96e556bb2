package dev.steadfast.queue.internal.flow;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.EnqueuedWorkflow;
import dev.steadfast.queue.FailurePolicy;
import dev.steadfast.queue.WorkflowRequest;
import dev.steadfast.queue.internal.store.Dependencies;
import dev.steadfast.queue.internal.store.NewJob;
import dev.steadfast.queue.internal.store.Store;
import dev.steadfast.queue.internal.worker.Operation;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A workflow written in one transaction: its row, its steps' jobs through the multi-row insert (in dependency order,
 * so parents get the smaller ids), their names, then the edges with each step's unmet count. A COMMIT cut off is
 * resolved by the workflow's row: it exists exactly when the transaction committed.
 */
public final class WorkflowInsert {
    private WorkflowInsert() {}

    /** The batch of a step that is one, checked before the transaction and written in it. */
    public interface StepBatch {
        /** Writes the batch with this stand-in job as its step's job; the batch's id. */
        long write(Connection tx, long standInJobId) throws SQLException;
    }

    /**
     * Writes the workflow. A step that is a batch ({@code batches}, by step name) has a stand-in job as its step's job
     * (in {@code toRow}'s rows, inserted with the other steps), made waiting; its batch is written after every step, so
     * its members have larger ids than every step, and held while the step has parents
     * ({@link dev.steadfast.queue.internal.store.StepBatches}).
     */
    public static EnqueuedWorkflow insert(
            ResilientDatabase db,
            Store store,
            WorkflowRequest request,
            Function<WorkflowRequest.Step, NewJob> toRow,
            Map<String, StepBatch> batches)
            throws SQLException {
        List<WorkflowRequest.Step> steps = request.steps(); // parents first
        List<NewJob> rows = new ArrayList<>(steps.size());
        List<String> names = new ArrayList<>(steps.size());
        for (WorkflowRequest.Step step : steps) {
            rows.add(toRow.apply(step));
            names.add(step.name());
        }
        AtomicLong written = new AtomicLong();
        try (Operation op = Operation.named("enqueue of workflow '" + request.name() + "'")) {
            return db.transaction(c -> store.workflowSteps().exists(c, written.get()), tx -> {
                long id = store.workflowSteps().insert(tx, request.name(), request.onFailure(), steps.size());
                written.set(id);
                List<Long> ids = store.inserts().insert(tx, rows);
                store.workflowSteps().nameSteps(tx, id, ids, names);
                Map<String, Long> byName = new HashMap<>();
                for (int i = 0; i < steps.size(); i++) {
                    byName.put(names.get(i), ids.get(i));
                }
                List<Dependencies.Edge> edges = new ArrayList<>();
                for (int i = 0; i < steps.size(); i++) {
                    WorkflowRequest.Step step = steps.get(i);
                    FailurePolicy policy = step.onFailure() == null ? request.onFailure() : step.onFailure();
                    for (String parent : step.after()) {
                        edges.add(new Dependencies.Edge(byName.get(parent), ids.get(i), policy, false));
                    }
                }
                store.dependencies().declare(tx, edges);
                List<Long> standIns = new ArrayList<>();
                for (int i = 0; i < steps.size(); i++) {
                    if (steps.get(i).batch() != null) {
                        standIns.add(ids.get(i));
                    }
                }
                store.stepBatches().standIn(tx, standIns); // those with parents wait for them already
                Map<String, Long> answer = new LinkedHashMap<>();
                Map<String, Long> batchIds = new LinkedHashMap<>();
                for (int i = 0; i < steps.size(); i++) {
                    answer.put(names.get(i), ids.get(i));
                    WorkflowRequest.Step step = steps.get(i);
                    if (step.batch() != null) {
                        long batchId = batches.get(step.name()).write(tx, ids.get(i));
                        if (!step.after().isEmpty()) {
                            store.stepBatches().hold(tx, batchId);
                        }
                        batchIds.put(step.name(), batchId);
                    }
                }
                return new EnqueuedWorkflow(id, answer, batchIds);
            });
        }
    }
}
