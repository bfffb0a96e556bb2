package dev.steadfast.queue;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.internal.flow.WorkflowInsert;
import dev.steadfast.queue.internal.flow.WorkflowStates;
import dev.steadfast.queue.internal.store.Dependencies;
import dev.steadfast.queue.internal.store.JobBatches;
import dev.steadfast.queue.internal.store.NewJob;
import dev.steadfast.queue.internal.store.Store;
import dev.steadfast.queue.internal.store.WorkflowSteps;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Workflows: enqueue a named DAG of steps at once, read one with its steps, list them, cancel or retry one; and the
 * parents of any job that runs after others. From {@link JobQueue#workflows()}.
 */
public final class Workflows {
    private final ResilientDatabase db;
    private final Store store;
    private final Function<JobRequest, NewJob> rows;
    private final Runnable wake;
    private final QueueBatches batches;

    Workflows(
            ResilientDatabase db, Store store, Function<JobRequest, NewJob> rows, Runnable wake, QueueBatches batches) {
        this.db = db;
        this.store = store;
        this.rows = rows;
        this.wake = wake;
        this.batches = batches;
    }

    /**
     * Enqueues the workflow in one transaction: its first steps pending, the others waiting for their parents. A step
     * that is a batch is written with it: its stand-in job waits for the batch, whose members are held until the
     * step's parents have all succeeded (released at once for a step that runs after none).
     *
     * @throws PayloadTooLargeException when a step's payload is too large (nothing is enqueued)
     */
    public EnqueuedWorkflow enqueue(WorkflowRequest request) throws SQLException {
        Map<String, WorkflowInsert.StepBatch> stepBatches = new HashMap<>();
        for (WorkflowRequest.Step step : request.steps()) {
            if (step.batch() != null) {
                QueueBatches.StepBatch batch = batches.forStep(step.batch());
                stepBatches.put(step.name(), batch::write);
            }
        }
        EnqueuedWorkflow enqueued = WorkflowInsert.insert(db, store, request, this::row, stepBatches);
        wake.run();
        return enqueued;
    }

    /** A step's job row: its job's, or for a step that is a batch, the batch's stand-in in its first member's queue. */
    private NewJob row(WorkflowRequest.Step step) {
        if (step.job() != null) {
            return rows.apply(step.job());
        }
        return rows.apply(JobRequest.of(JobBatches.STAND_IN_TYPE)
                .queue(step.batch().firstQueue())
                .maxAttempts(1)
                .payloadJson("{}")
                .build());
    }

    /**
     * A workflow with its steps (each with the names of the steps it runs after and, once it succeeded, its result), or
     * empty when there is none.
     */
    public Optional<WorkflowView> find(long id) throws SQLException {
        return db.read(c -> {
            Optional<WorkflowSteps.WorkflowRow> row = store.workflowSteps().find(c, id);
            if (row.isEmpty()) {
                return Optional.<WorkflowView>empty();
            }
            List<WorkflowSteps.StepRow> stepRows = store.workflowSteps().steps(c, id);
            Map<Long, String> names = new HashMap<>();
            stepRows.forEach(s -> names.put(s.jobId(), s.name()));
            Map<Long, List<String>> after = new HashMap<>();
            for (long[] edge : store.workflowSteps().edges(c, id)) {
                after.computeIfAbsent(edge[1], k -> new ArrayList<>()).add(names.get(edge[0]));
            }
            // the succeeded steps' results (only a success stores one), at most 1,000 ids a statement
            List<Long> succeeded = stepRows.stream()
                    .filter(r -> JobStatus.parse(r.status()) == JobStatus.SUCCEEDED)
                    .map(WorkflowSteps.StepRow::jobId)
                    .toList();
            Map<Long, String> results = new HashMap<>();
            for (int from = 0; from < succeeded.size(); from += 1000) {
                results.putAll(store.results()
                        .read(c, succeeded.subList(from, Math.min(succeeded.size(), from + 1000))));
            }
            Map<Long, Long> batchOf = store.stepBatches()
                    .of(c, stepRows.stream().map(WorkflowSteps.StepRow::jobId).toList());
            List<WorkflowStep> steps = new ArrayList<>(stepRows.size());
            for (WorkflowSteps.StepRow s : stepRows) {
                Long batchId = batchOf.get(s.jobId());
                steps.add(new WorkflowStep(
                        s.name(),
                        s.jobId(),
                        JobStatus.parse(s.status()),
                        after.getOrDefault(s.jobId(), List.of()),
                        results.get(s.jobId()),
                        batchId == null
                                ? null
                                : store.batches().view(c, batchId).orElse(null)));
            }
            return Optional.of(
                    view(row.get(), store.workflowSteps().counts(c, List.of(id)).get(id), steps));
        });
    }

    /** A page of workflows, newest first, with their states and step counts: those with ids below {@code before} (null: from the newest). */
    public List<WorkflowView> list(Long before, int limit) throws SQLException {
        if (limit < 1) {
            throw new IllegalArgumentException("a limit of at least 1 is required, got " + limit);
        }
        return db.read(c -> {
            List<WorkflowSteps.WorkflowRow> rows = store.workflowSteps().page(c, before, limit);
            Map<Long, WorkflowSteps.StepCounts> counts = store.workflowSteps()
                    .counts(c, rows.stream().map(WorkflowSteps.WorkflowRow::id).toList());
            List<WorkflowView> views = new ArrayList<>(rows.size());
            for (WorkflowSteps.WorkflowRow row : rows) {
                views.add(view(row, counts.get(row.id()), List.of()));
            }
            return views;
        });
    }

    /**
     * Cancels a workflow: its pending and waiting steps are cancelled, its running ones asked to stop. Returns how
     * many steps were cancelled or asked to stop; empty when there is no such workflow.
     */
    public Optional<Integer> cancel(long id) throws SQLException {
        return db.transaction(tx -> {
            if (!store.workflowSteps().markCancelled(tx, id)) {
                return Optional.<Integer>empty();
            }
            List<Long> live = store.workflowSteps()
                    .stepsIn(
                            tx,
                            id,
                            List.of(JobState.PENDING.column(), JobState.WAITING.column(), JobState.RUNNING.column()));
            int changed = 0;
            for (int from = 0; from < live.size(); from += 1000) {
                changed += store.actions()
                        .cancel(tx, live.subList(from, Math.min(live.size(), from + 1000)))
                        .size();
            }
            return Optional.of(changed);
        });
    }

    /**
     * Retries a workflow's failed steps with fresh attempts: steps waiting for them under {@link FailurePolicy#WAIT} go
     * on when they succeed, and steps their failure cancelled ({@link FailurePolicy#CANCEL_DEPENDENTS}) wait for them
     * again (unless another of their parents failed or was cancelled too); a failed step that is a batch has its batch's
     * failed members retried. Steps cancelled by a user stay cancelled. Returns how many were retried; empty when there
     * is no such workflow.
     */
    public Optional<Integer> retry(long id) throws SQLException {
        Optional<Integer> retried = db.transaction(tx -> {
            if (store.workflowSteps().find(tx, id).isEmpty()) {
                return Optional.<Integer>empty();
            }
            List<Long> failed = store.workflowSteps().stepsIn(tx, id, List.of(JobState.FAILED.column()));
            int n = 0;
            // a step that is a batch: its batch's failed members are retried, and the step waits for it again
            for (long batchId : store.stepBatches().of(tx, failed).values()) {
                if (store.batches().retryFailed(tx, batchId, store.actions()) > 0) {
                    n++;
                }
            }
            for (int from = 0; from < failed.size(); from += 1000) {
                n += store.actions().retry(tx, failed.subList(from, Math.min(failed.size(), from + 1000)));
            }
            return Optional.of(n);
        });
        wake.run();
        return retried;
    }

    /** The workflow a job is a step of: its id and the step's name; empty for a job of no workflow. */
    public Optional<Map.Entry<Long, String>> ofJob(long jobId) throws SQLException {
        return db.read(c -> store.workflowSteps().ofJob(c, jobId)).map(m -> Map.entry(m.workflowId(), m.stepName()));
    }

    /**
     * The jobs a job runs after, in id order: each parent's id mapped to its step name (null for a job of no
     * workflow). Empty for a job that runs after none.
     */
    public Map<Long, String> parents(long jobId) throws SQLException {
        Map<Long, String> parents = new java.util.LinkedHashMap<>();
        for (Dependencies.ParentStep p : db.read(c -> store.dependencies().parents(c, jobId))) {
            parents.put(p.id(), p.stepName());
        }
        return parents;
    }

    private static WorkflowView view(
            WorkflowSteps.WorkflowRow row, WorkflowSteps.StepCounts counts, List<WorkflowStep> steps) {
        Map<String, Long> n = counts == null ? Map.of() : counts.counts();
        WorkflowState state = WorkflowStates.of(n, row.cancelledAt() != null);
        return new WorkflowView(
                row.id(),
                row.name(),
                row.onFailure(),
                state,
                n,
                row.createdAt(),
                state.finished() && counts != null ? counts.lastFinishedAt() : null,
                steps);
    }
}
