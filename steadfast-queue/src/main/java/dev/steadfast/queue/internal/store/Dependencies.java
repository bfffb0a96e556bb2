package dev.steadfast.queue.internal.store;

import static dev.steadfast.queue.internal.store.States.PENDING;
import static dev.steadfast.queue.internal.store.States.WAITING;

import dev.steadfast.queue.FailurePolicy;
import dev.steadfast.queue.JobState;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The edges between jobs that run after others and their parents ({@code sf_job_dependency}): declared at enqueue,
 * read for a job's page and its parents' results. What a parent's end does to its children is {@link Dependents}.
 */
public final class Dependencies {
    // rows per multi-row INSERT of edges (4 placeholders each, far below a statement's 65,535)
    private static final int EDGES_PER_INSERT = 1000;

    /** A job a new job runs after, as the enqueue found it (its row locked). */
    public record Parent(long id, JobState state) {}

    /** An edge to declare; {@code met} when the parent already succeeded. */
    public record Edge(long parentId, long childId, FailurePolicy onFailure, boolean met) {}

    /** A parent of a job: its id, and its step name when it is a workflow's step (else null). */
    public record ParentStep(long id, String stepName) {}

    Dependencies() {}

    /**
     * Locks these jobs, in id order (the order every transaction locks parents in, so enqueues after shared parents
     * cannot deadlock), and answers those that exist with their states.
     */
    public List<Parent> lockParents(Connection tx, Collection<Long> ids) throws SQLException {
        List<Long> sorted = new ArrayList<>(new TreeSet<>(ids));
        if (sorted.isEmpty()) {
            return List.of();
        }
        return Sql.list(
                tx,
                "SELECT id, state FROM sf_job WHERE id IN (" + Sql.placeholders(sorted.size()) + ") ORDER BY id"
                        + " FOR UPDATE",
                rs -> new Parent(
                        rs.getLong("id"), JobState.valueOf(rs.getString("state").toUpperCase(Locale.ROOT))),
                sorted);
    }

    /**
     * Declares edges between jobs this transaction inserted (as pending) and their parents (locked, or inserted by it):
     * the edges, each parent's count of dependents, and each child with unmet parents made waiting with their count.
     */
    public void declare(Connection tx, List<Edge> edges) throws SQLException {
        if (edges.isEmpty()) {
            return;
        }
        for (int from = 0; from < edges.size(); from += EDGES_PER_INSERT) {
            List<Edge> part = edges.subList(from, Math.min(edges.size(), from + EDGES_PER_INSERT));
            List<Object> params = new ArrayList<>(4 * part.size());
            for (Edge e : part) {
                params.add(e.parentId());
                params.add(e.childId());
                params.add(e.onFailure().text());
                params.add(e.met() ? 1 : 0);
            }
            Sql.update(
                    tx,
                    "INSERT INTO sf_job_dependency (parent_id, child_id, on_failure, met) VALUES "
                            + String.join(",", Collections.nCopies(part.size(), "(?, ?, ?, ?)")),
                    params.toArray());
        }
        Map<Long, Integer> dependents = new TreeMap<>();
        Map<Long, Integer> unmet = new TreeMap<>();
        for (Edge e : edges) {
            if (!e.met()) {
                dependents.merge(e.parentId(), 1, Integer::sum);
                unmet.merge(e.childId(), 1, Integer::sum);
            }
        }
        for (Map.Entry<Integer, List<Long>> group : byCount(dependents).entrySet()) {
            inChunks(
                    group.getValue(),
                    ids -> Sql.update(
                            tx,
                            "UPDATE sf_job SET dependents = dependents + ? WHERE id IN (" + Sql.placeholders(ids.size())
                                    + ")",
                            group.getKey(),
                            ids));
        }
        for (Map.Entry<Integer, List<Long>> group : byCount(unmet).entrySet()) {
            inChunks(
                    group.getValue(),
                    ids -> Sql.update(
                            tx,
                            "UPDATE sf_job SET state = " + WAITING + ", unmet = ? WHERE id IN ("
                                    + Sql.placeholders(ids.size()) + ") AND state = " + PENDING,
                            group.getKey(),
                            ids));
        }
    }

    /** The jobs this job runs after, by id, with their step names (null for a job of no workflow). */
    public List<ParentStep> parents(Connection c, long childId) throws SQLException {
        return Sql.list(
                c,
                "SELECT d.parent_id, j.step_name FROM sf_job_dependency d LEFT JOIN sf_job j ON j.id = d.parent_id"
                        + " WHERE d.child_id = ? ORDER BY d.parent_id",
                rs -> new ParentStep(rs.getLong("parent_id"), rs.getString("step_name")),
                childId);
    }

    /** The workflows these jobs are steps of (read before the jobs are purged). */
    static List<Long> workflowsOf(Connection c, List<Long> jobIds) throws SQLException {
        return Sql.list(
                c,
                "SELECT DISTINCT workflow_id FROM sf_job WHERE id IN (" + Sql.placeholders(jobIds.size())
                        + ") AND workflow_id IS NOT NULL",
                rs -> rs.getLong("workflow_id"),
                jobIds);
    }

    /**
     * What goes with purged jobs: their edges to their parents (a child ends after its parents, so it goes last), and
     * each of these workflows once none of its steps is left.
     */
    static void purged(Connection c, List<Long> jobIds, List<Long> workflowIds) throws SQLException {
        Sql.update(
                c, "DELETE FROM sf_job_dependency WHERE child_id IN (" + Sql.placeholders(jobIds.size()) + ")", jobIds);
        if (!workflowIds.isEmpty()) {
            Sql.update(
                    c,
                    "DELETE FROM sf_workflow WHERE id IN (" + Sql.placeholders(workflowIds.size()) + ")"
                            + " AND NOT EXISTS (SELECT 1 FROM sf_job j WHERE j.workflow_id = sf_workflow.id)",
                    workflowIds);
        }
    }

    /** Ids grouped by their count, each group in id order. */
    static Map<Integer, List<Long>> byCount(Map<Long, Integer> counts) {
        Map<Integer, List<Long>> groups = new TreeMap<>();
        counts.forEach(
                (id, n) -> groups.computeIfAbsent(n, k -> new ArrayList<>()).add(id));
        return groups;
    }

    interface Chunk {
        void accept(List<Long> ids) throws SQLException;
    }

    /** Runs {@code action} on at most 1,000 ids at a time, in order. */
    static void inChunks(List<Long> ids, Chunk action) throws SQLException {
        for (int from = 0; from < ids.size(); from += EDGES_PER_INSERT) {
            action.accept(ids.subList(from, Math.min(ids.size(), from + EDGES_PER_INSERT)));
        }
    }
}
