package dev.steadfast.queue.internal.flow;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.DependencyException;
import dev.steadfast.queue.FailurePolicy;
import dev.steadfast.queue.JobRequest;
import dev.steadfast.queue.JobState;
import dev.steadfast.queue.internal.store.Dependencies;
import dev.steadfast.queue.internal.store.NewJob;
import dev.steadfast.queue.internal.store.Store;
import dev.steadfast.queue.internal.worker.Operation;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Jobs that run after existing jobs (a chain), inserted in one transaction with their edges: their parents locked
 * in id order, checked (a parent must exist; one that succeeded counts as met; one that failed or was cancelled is
 * refused, as the default policy would cancel the new job at once), then the jobs, then the edges and counts. Jobs
 * without parents go the ordinary way in the same transaction.
 */
public final class ChainInsert {
    private ChainInsert() {}

    /** Whether any of these requests runs after other jobs. */
    public static boolean anyAfter(List<JobRequest> requests) {
        return requests.stream().anyMatch(r -> !r.after().isEmpty());
    }

    /** Inserts the rows (requests.get(i) made rows.get(i)) in the caller's transaction; their ids in order. */
    public static List<Long> insert(Store store, Connection tx, List<NewJob> rows, List<JobRequest> requests)
            throws SQLException {
        if (!anyAfter(requests)) {
            return store.inserts().insert(tx, rows);
        }
        TreeSet<Long> wanted = new TreeSet<>();
        requests.forEach(r -> wanted.addAll(r.after()));
        Map<Long, JobState> found = new TreeMap<>();
        for (Dependencies.Parent p : store.dependencies().lockParents(tx, wanted)) {
            found.put(p.id(), p.state());
        }
        for (long id : wanted) {
            JobState state = found.get(id);
            if (state == null) {
                throw new DependencyException("job " + id + " does not exist (an unknown id, or a job finished and"
                        + " purged): a job can only run after an existing job");
            }
            if (state == JobState.FAILED || state == JobState.CANCELLED) {
                throw new DependencyException(
                        "job " + id + " " + (state == JobState.FAILED ? "failed" : "was cancelled")
                                + ": a job cannot run after it (retry it first, or enqueue without it)");
            }
        }
        List<Long> ids = store.inserts().insert(tx, rows);
        List<Dependencies.Edge> edges = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            for (long parent : requests.get(i).after()) {
                edges.add(new Dependencies.Edge(
                        parent, ids.get(i), FailurePolicy.CANCEL_DEPENDENTS, found.get(parent) == JobState.SUCCEEDED));
            }
        }
        store.dependencies().declare(tx, edges);
        return ids;
    }

    /**
     * Inserts in a unit of work of its own, all or none; a COMMIT cut off is resolved by the rows themselves (the ids
     * the insert returned exist exactly when it committed).
     */
    public static List<Long> proven(ResilientDatabase db, Store store, List<NewJob> rows, List<JobRequest> requests)
            throws SQLException {
        AtomicReference<List<Long>> written = new AtomicReference<>(List.of());
        try (Operation op = Operation.named("enqueue of " + rows.size() + " jobs after others")) {
            return db.transaction(c -> store.inserts().allExist(c, written.get()), tx -> {
                List<Long> in = insert(store, tx, rows, requests);
                written.set(in);
                return in;
            });
        }
    }
}
