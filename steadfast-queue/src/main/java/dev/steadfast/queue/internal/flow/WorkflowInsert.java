package dev.steadfast.queue.internal.flow;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.EnqueuedWorkflow;
import dev.steadfast.queue.FailurePolicy;
import dev.steadfast.queue.WorkflowRequest;
import dev.steadfast.queue.internal.store.Dependencies;
import dev.steadfast.queue.internal.store.NewJob;
import dev.steadfast.queue.internal.store.Store;
import dev.steadfast.queue.internal.worker.Operation;
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

    public static EnqueuedWorkflow insert(
            ResilientDatabase db, Store store, WorkflowRequest request, Function<WorkflowRequest.Step, NewJob> toRow)
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
                Map<String, Long> answer = new LinkedHashMap<>();
                for (int i = 0; i < steps.size(); i++) {
                    answer.put(names.get(i), ids.get(i));
                }
                return new EnqueuedWorkflow(id, answer);
            });
        }
    }
}
