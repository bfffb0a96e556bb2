package dev.steadfast.queue.internal.store;

import static dev.steadfast.queue.internal.store.States.CANCELLED;
import static dev.steadfast.queue.internal.store.States.PENDING;
import static dev.steadfast.queue.internal.store.States.WAITING;

import dev.steadfast.queue.FailurePolicy;
import dev.steadfast.queue.JobState;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Jobs that wait for others, as their parents end, in the transaction that records each end (called by
 * {@link Completions} only when the parent's row changed: that change is the fence that makes each step happen once).
 * A parent that succeeded meets its edges: each child's {@code unmet} goes down, and a child at 0 becomes pending
 * (run at once, or at its own later run time). A parent that failed for good or was cancelled applies each edge's
 * policy: {@code continue} meets it as a success would, {@code cancel_dependents} cancels the waiting child (whose own
 * end then goes through {@link Completions}, so its batch and its children see it), {@code wait} leaves it waiting
 * until the parent is retried and succeeds. An edge is met once ({@code met}), so a parent retried after a
 * {@code continue} cannot count twice.
 *
 * <p>Locks: the parents' rows are the caller's; then their edges; then the children's rows, in id order. Parents
 * always have smaller ids than their children (a chain's parents exist first; a workflow's steps are inserted in
 * dependency order), so every path locks ancestors before descendants and these transactions cannot deadlock.
 */
final class Dependents {
    private Dependents() {}

    private record Edge(long parentId, long childId, FailurePolicy onFailure) {}

    static void finished(Connection tx, List<Finished> finished) throws SQLException {
        Map<Long, JobState> ended = new TreeMap<>();
        for (Finished f : finished) {
            if (f.dependents() > 0 && f.state() != JobState.PENDING) {
                ended.put(f.jobId(), f.state());
            }
        }
        if (ended.isEmpty()) {
            return;
        }
        List<Long> parents = new ArrayList<>(ended.keySet());
        // a locking read: it sees every edge committed under the parent's lock, whatever this transaction's snapshot
        List<Edge> edges = Sql.list(
                tx,
                "SELECT parent_id, child_id, on_failure FROM sf_job_dependency WHERE parent_id IN ("
                        + Sql.placeholders(parents.size()) + ") AND met = 0 FOR UPDATE",
                rs -> new Edge(
                        rs.getLong("parent_id"),
                        rs.getLong("child_id"),
                        FailurePolicy.parse(rs.getString("on_failure"))),
                parents);
        List<Edge> resolved = new ArrayList<>();
        Map<Long, Integer> met = new TreeMap<>();
        Map<Long, Long> toCancel = new TreeMap<>(); // child -> the parent whose end cancels it
        for (Edge e : edges) {
            boolean succeeded = ended.get(e.parentId()) == JobState.SUCCEEDED;
            FailurePolicy policy = succeeded ? FailurePolicy.CONTINUE : e.onFailure();
            switch (policy) {
                case CONTINUE -> {
                    resolved.add(e);
                    met.merge(e.childId(), 1, Integer::sum);
                }
                case CANCEL_DEPENDENTS -> {
                    resolved.add(e);
                    toCancel.putIfAbsent(e.childId(), e.parentId());
                }
                case WAIT -> {} // stays unmet: a retry of the parent that succeeds meets it
            }
        }
        if (resolved.isEmpty()) {
            return;
        }
        resolved.sort(Comparator.comparingLong(Edge::parentId).thenComparingLong(Edge::childId));
        for (int from = 0; from < resolved.size(); from += 500) {
            List<Edge> part = resolved.subList(from, Math.min(resolved.size(), from + 500));
            List<Long> params = new ArrayList<>(2 * part.size());
            for (Edge e : part) {
                params.add(e.parentId());
                params.add(e.childId());
            }
            Sql.update(
                    tx,
                    "UPDATE sf_job_dependency SET met = 1 WHERE (parent_id, child_id) IN ("
                            + String.join(",", Collections.nCopies(part.size(), "(?, ?)")) + ")",
                    params);
        }
        // one statement per decrement: a child whose last unmet parents these are becomes pending (its assignments
        // read the row as it was, in either assignment mode: each reads only columns assigned after it)
        for (Map.Entry<Integer, List<Long>> group : Dependencies.byCount(met).entrySet()) {
            Claimable.mark(); // some of these children may become pending: the workers are woken after the commit
            int n = group.getKey();
            Dependencies.inChunks(
                    group.getValue(),
                    ids -> Sql.update(
                            tx,
                            "UPDATE sf_job SET"
                                    + " run_at = IF(state = " + WAITING
                                    + " AND unmet <= ?, GREATEST(run_at, NOW(3)), run_at),"
                                    + " updated_at = IF(state = " + WAITING + " AND unmet <= ?, NOW(3), updated_at),"
                                    + " state = IF(state = " + WAITING + " AND unmet <= ? AND type <> '"
                                    + JobBatches.STAND_IN_TYPE + "', " + PENDING + ", state),"
                                    + " unmet = GREATEST(unmet - ?, 0)"
                                    + " WHERE id IN (" + Sql.placeholders(ids.size()) + ")",
                            n,
                            n,
                            n,
                            n,
                            ids));
        }
        if (!met.isEmpty()) {
            // a batch's stand-in is never pending (no worker runs it): its last edge met releases its batch's members
            StepBatches.released(tx, met.keySet());
        }
        if (!toCancel.isEmpty()) {
            cancel(tx, toCancel);
        }
    }

    /**
     * Cancels these children while they still wait, each marked with the parent whose end cancelled it
     * ({@code cancelled_by}), and passes their ends on (to their batches and children).
     */
    private static void cancel(Connection tx, Map<Long, Long> childToParent) throws SQLException {
        List<Finished> cancelled = new ArrayList<>();
        List<Long> standIns = new ArrayList<>();
        Dependencies.inChunks(new ArrayList<>(childToParent.keySet()), ids -> {
            String in = Sql.placeholders(ids.size());
            List<Finished> rows = Sql.list(
                    tx,
                    "SELECT id, batch_id, dependents, type FROM sf_job WHERE id IN (" + in + ") AND state = " + WAITING
                            + " FOR UPDATE",
                    rs -> {
                        if (JobBatches.STAND_IN_TYPE.equals(rs.getString("type"))) {
                            standIns.add(rs.getLong("id"));
                        }
                        return new Finished(
                                rs.getLong("id"),
                                JobState.CANCELLED,
                                rs.getObject("batch_id", Long.class),
                                rs.getInt("dependents"));
                    },
                    ids);
            if (!rows.isEmpty()) {
                Sql.batch(
                        tx,
                        "UPDATE sf_job SET state = " + CANCELLED + ", finished_at = NOW(3), updated_at = NOW(3),"
                                + " cancelled_by = ? WHERE id = ? AND state = " + WAITING,
                        rows,
                        (s, f) -> {
                            s.setLong(1, childToParent.get(f.jobId()));
                            s.setLong(2, f.jobId());
                        });
                cancelled.addAll(rows);
            }
        });
        Completions.finished(
                tx,
                cancelled.stream()
                        .filter(f -> f.batchId() != null || f.dependents() > 0)
                        .toList());
        // a workflow's step that is a batch: cancelling the step cancels its batch (its held members)
        StepBatches.cancelled(tx, standIns, new JobActions());
    }

    /**
     * A failed parent sent back to run. Its edges under {@code wait} are still unmet, so its next success releases their
     * children; a {@code continue} edge stays met. The children its failure cancelled ({@code cancel_dependents},
     * marked {@code cancelled_by}) wait again, with their descendants that cancellation cancelled in turn, unless
     * another parent of theirs has also failed or was cancelled (they would wait for nothing). A job of a batch stays
     * as it is (its batch has counted it), and so does a batch step (its batch was cancelled with it). Rows are taken
     * ancestors first, as everywhere.
     */
    static void reopened(Connection tx, List<Finished> reopened) throws SQLException {
        Set<Long> parents = new TreeSet<>();
        for (Finished f : reopened) {
            if (f.dependents() > 0) {
                parents.add(f.jobId());
            }
        }
        Set<Long> comingBack = new TreeSet<>(parents);
        while (!parents.isEmpty()) {
            List<Long> from = new ArrayList<>(parents);
            List<Long> children = Sql.list(
                    tx,
                    "SELECT DISTINCT c.id FROM sf_job_dependency d JOIN sf_job c ON c.id = d.child_id"
                            + " WHERE d.parent_id IN (" + Sql.placeholders(from.size())
                            + ") AND c.cancelled_by = d.parent_id"
                            + " AND c.state = " + CANCELLED + " AND c.batch_id IS NULL AND c.type <> '"
                            + JobBatches.STAND_IN_TYPE + "' ORDER BY c.id FOR UPDATE",
                    rs -> rs.getLong(1),
                    from);
            List<Long> revived = new ArrayList<>();
            for (long child : children) {
                boolean blocked = Sql.exists(
                        tx,
                        "SELECT 1 FROM sf_job_dependency d JOIN sf_job p ON p.id = d.parent_id WHERE d.child_id = ?"
                                + " AND p.state IN (" + States.FAILED + ", " + CANCELLED + ") AND p.id NOT IN ("
                                + Sql.placeholders(comingBack.size()) + ")",
                        child,
                        new ArrayList<>(comingBack));
                if (!blocked) {
                    revived.add(child);
                }
            }
            if (revived.isEmpty()) {
                return;
            }
            String in = Sql.placeholders(revived.size());
            // the edge that cancelled each one is unmet again: the parent's next end decides anew
            Sql.update(
                    tx,
                    "UPDATE sf_job_dependency d JOIN sf_job c ON c.id = d.child_id SET d.met = 0"
                            + " WHERE d.child_id IN (" + in + ") AND d.parent_id = c.cancelled_by",
                    revived);
            Sql.update(
                    tx,
                    "UPDATE sf_job SET state = " + WAITING + ", finished_at = NULL, cancelled_by = NULL,"
                            + " updated_at = NOW(3) WHERE id IN (" + in + ") AND state = " + CANCELLED,
                    revived);
            comingBack.addAll(revived);
            parents = new TreeSet<>(revived);
        }
    }
}
