package dev.steadfast.queue.internal.store;

import static dev.steadfast.queue.internal.store.States.PENDING;
import static dev.steadfast.queue.internal.store.States.WAITING;

import dev.steadfast.queue.FailurePolicy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * WorkflowSteps ({@code sf_workflow}) and their steps (jobs with {@code workflow_id} and {@code step_name}): written at
 * enqueue, read for views and lists. A workflow's state is derived from its steps' states, read through
 * {@code sf_job_workflow_step (workflow_id, step_name)}; no row is updated when a step ends.
 */
public final class WorkflowSteps {
    // a step that is a batch shows running once its members are released (its stand-in waits for the batch then)
    private static final String SHOWN_STATE = "CASE WHEN state = " + PENDING
            + " AND run_at > NOW(3) THEN 'scheduled' WHEN state = " + WAITING + " AND unmet = 0 AND type = '"
            + JobBatches.STAND_IN_TYPE + "' THEN 'running' ELSE state END";

    /** A workflow's own row. */
    public record WorkflowRow(long id, String name, FailurePolicy onFailure, Instant createdAt, Instant cancelledAt) {}

    /** A step as views show it: its job, name, shown status text, when it ended. */
    public record StepRow(long jobId, String name, String status, Instant finishedAt) {}

    /** Per workflow: how many steps are in each shown status, and when the last one ended. */
    public record StepCounts(Map<String, Long> counts, Instant lastFinishedAt) {}

    /** A job's place in a workflow. */
    public record Membership(long workflowId, String stepName) {}

    WorkflowSteps() {}

    /** A new workflow's row; its id. */
    public long insert(Connection tx, String name, FailurePolicy onFailure, int steps) throws SQLException {
        try (var s = tx.prepareStatement(
                "INSERT INTO sf_workflow (name, on_failure, steps) VALUES (?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            Sql.bind(s, 1, name, onFailure.text(), steps);
            s.executeUpdate();
            try (var keys = s.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("the insert of workflow '" + name + "' returned no id");
                }
                return keys.getLong(1);
            }
        }
    }

    /** Whether this workflow exists (an enqueue cut off at its commit: did it commit?). */
    public boolean exists(Connection c, long id) throws SQLException {
        return Sql.exists(c, "SELECT 1 FROM sf_workflow WHERE id = ?", id);
    }

    /** Makes these jobs (just inserted by this transaction) the workflow's steps of these names. */
    public void nameSteps(Connection tx, long workflowId, List<Long> jobIds, List<String> names) throws SQLException {
        for (int from = 0; from < jobIds.size(); from += 1000) {
            int to = Math.min(jobIds.size(), from + 1000);
            List<Object> params = new ArrayList<>();
            params.add(workflowId);
            StringBuilder cases = new StringBuilder();
            for (int i = from; i < to; i++) {
                cases.append(" WHEN ? THEN ?");
                params.add(jobIds.get(i));
                params.add(names.get(i));
            }
            params.addAll(jobIds.subList(from, to));
            Sql.update(
                    tx,
                    "UPDATE sf_job SET workflow_id = ?, step_name = CASE id" + cases + " END WHERE id IN ("
                            + Sql.placeholders(to - from) + ")",
                    params.toArray());
        }
    }

    /** A workflow's row. */
    public Optional<WorkflowRow> find(Connection c, long id) throws SQLException {
        return Sql.first(
                c,
                "SELECT id, name, on_failure, created_at, cancelled_at FROM sf_workflow WHERE id = ?",
                WorkflowSteps::row,
                id);
    }

    /** A keyset page of workflows, newest first: those with ids below {@code before} (null: from the newest). */
    public List<WorkflowRow> page(Connection c, Long before, int limit) throws SQLException {
        return Sql.list(
                c,
                "SELECT id, name, on_failure, created_at, cancelled_at FROM sf_workflow"
                        + (before == null ? "" : " WHERE id < ?") + " ORDER BY id DESC LIMIT ?",
                WorkflowSteps::row,
                before == null ? new Object[] {limit} : new Object[] {before, limit});
    }

    /** A workflow's steps in id order (the order they were declared in, parents first). */
    public List<StepRow> steps(Connection c, long workflowId) throws SQLException {
        return Sql.list(
                c,
                "SELECT id, step_name, " + SHOWN_STATE + " AS shown, finished_at FROM sf_job WHERE workflow_id = ?"
                        + " ORDER BY id",
                rs -> new StepRow(
                        rs.getLong("id"),
                        rs.getString("step_name"),
                        rs.getString("shown"),
                        Sql.instant(rs.getTimestamp("finished_at"))),
                workflowId);
    }

    /** A workflow's edges as (parent job id, child job id). */
    public List<long[]> edges(Connection c, long workflowId) throws SQLException {
        return Sql.list(
                c,
                "SELECT d.parent_id, d.child_id FROM sf_job j JOIN sf_job_dependency d ON d.child_id = j.id"
                        + " WHERE j.workflow_id = ? ORDER BY d.child_id, d.parent_id",
                rs -> new long[] {rs.getLong("parent_id"), rs.getLong("child_id")},
                workflowId);
    }

    /** For each of these workflows, its steps counted by shown status (one grouped read of their steps). */
    public Map<Long, StepCounts> counts(Connection c, Collection<Long> workflowIds) throws SQLException {
        Map<Long, Map<String, Long>> counts = new HashMap<>();
        Map<Long, Instant> last = new HashMap<>();
        if (workflowIds.isEmpty()) {
            return Map.of();
        }
        Sql.each(
                c,
                "SELECT workflow_id, " + SHOWN_STATE + " AS shown, COUNT(*) AS n, MAX(finished_at) AS last"
                        + " FROM sf_job WHERE workflow_id IN (" + Sql.placeholders(workflowIds.size()) + ")"
                        + " GROUP BY workflow_id, shown",
                rs -> {
                    long id = rs.getLong("workflow_id");
                    counts.computeIfAbsent(id, k -> new TreeMap<>()).put(rs.getString("shown"), rs.getLong("n"));
                    Instant t = Sql.instant(rs.getTimestamp("last"));
                    if (t != null) {
                        last.merge(id, t, (a, b) -> a.isAfter(b) ? a : b);
                    }
                },
                List.copyOf(workflowIds));
        Map<Long, StepCounts> answer = new HashMap<>();
        counts.forEach((id, n) -> answer.put(id, new StepCounts(n, last.get(id))));
        return answer;
    }

    /** Records that the workflow was cancelled as a whole; false when it does not exist. */
    public boolean markCancelled(Connection tx, long workflowId) throws SQLException {
        return Sql.update(
                        tx,
                        "UPDATE sf_workflow SET cancelled_at = COALESCE(cancelled_at, NOW(3)) WHERE id = ?",
                        workflowId)
                == 1;
    }

    /** The workflow's steps whose jobs are stored in one of these states, in id order. */
    public List<Long> stepsIn(Connection c, long workflowId, Collection<String> states) throws SQLException {
        return Sql.list(
                c,
                "SELECT id FROM sf_job WHERE workflow_id = ? AND state IN (" + Sql.placeholders(states.size())
                        + ") ORDER BY id",
                rs -> rs.getLong("id"),
                workflowId,
                List.copyOf(states));
    }

    /** The workflow a job is a step of, and its name there. */
    public Optional<Membership> ofJob(Connection c, long jobId) throws SQLException {
        return Sql.first(
                c,
                "SELECT workflow_id, step_name FROM sf_job WHERE id = ? AND workflow_id IS NOT NULL",
                rs -> new Membership(rs.getLong("workflow_id"), rs.getString("step_name")),
                jobId);
    }

    private static WorkflowRow row(java.sql.ResultSet rs) throws SQLException {
        return new WorkflowRow(
                rs.getLong("id"),
                rs.getString("name"),
                FailurePolicy.parse(rs.getString("on_failure")),
                Sql.instant(rs.getTimestamp("created_at")),
                Sql.instant(rs.getTimestamp("cancelled_at")));
    }
}
