package dev.steadfast.queue.internal.bulk;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.CancelOutcome;
import dev.steadfast.queue.JobFilter;
import dev.steadfast.queue.JobState;
import dev.steadfast.queue.JobStatus;
import dev.steadfast.queue.internal.store.Store;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cancels jobs by id or by filter: waiting ones become {@code cancelled}, running ones are asked to stop (their
 * workers act on it), finished ones stay as they are.
 */
public final class Cancellation {
    private static final int MAX_RUNNING_TO_CANCEL = 100_000;

    private final ResilientDatabase db;
    private final Store store;

    public Cancellation(ResilientDatabase db, Store store) {
        this.db = db;
        this.store = store;
    }

    /** Cancels jobs by id, in one transaction; answers what became of each, in the order given. */
    public Map<Long, CancelOutcome> byIds(Collection<Long> ids) throws SQLException {
        Map<Long, JobState> before = db.transaction(tx -> store.actions().cancel(tx, ids));
        Map<Long, CancelOutcome> outcomes = new LinkedHashMap<>();
        for (Long id : ids) {
            outcomes.put(id, outcome(before.get(id)));
        }
        return outcomes;
    }

    private static CancelOutcome outcome(JobState before) {
        if (before == null) {
            return CancelOutcome.NOT_FOUND;
        }
        return switch (before) {
            case PENDING, WAITING -> CancelOutcome.CANCELLED;
            case RUNNING -> CancelOutcome.STOP_REQUESTED;
            default -> CancelOutcome.ALREADY_FINISHED;
        };
    }

    /**
     * Cancels every waiting and running job the filter matches (its status, if any, must be pending, scheduled or
     * running), waiting ones in batches; returns how many were cancelled or asked to stop.
     */
    public long matching(JobFilter filter) throws SQLException {
        JobStatus only = filter.status();
        if (only != null && !only.cancellable()) {
            throw new IllegalArgumentException(
                    "only pending, scheduled, waiting and running jobs can be cancelled, not " + only.text() + " ones");
        }
        long done = 0;
        Batches batches = new Batches(db, store);
        for (JobStatus status :
                only != null ? List.of(only) : List.of(JobStatus.PENDING, JobStatus.SCHEDULED, JobStatus.WAITING)) {
            if (status.waiting() || status == JobStatus.WAITING) {
                done += batches.apply(
                        filter.status(status),
                        (tx, ids) -> count(store.actions().cancel(tx, ids), status.stored()));
            }
        }
        if (only == null || only == JobStatus.RUNNING) {
            // running jobs stay running until their workers act, so they are not taken in batches until none is left:
            // they are few (at most the workers' threads), read once
            List<Long> running =
                    db.read(c -> store.search().ids(c, filter.status(JobStatus.RUNNING), MAX_RUNNING_TO_CANCEL));
            for (int from = 0; from < running.size(); from += Batches.SIZE) {
                List<Long> part = running.subList(from, Math.min(running.size(), from + Batches.SIZE));
                done += db.transaction(tx -> count(store.actions().cancel(tx, part), JobState.RUNNING));
            }
        }
        return done;
    }

    private static int count(Map<Long, JobState> before, JobState state) {
        return (int) before.values().stream().filter(s -> s == state).count();
    }
}
