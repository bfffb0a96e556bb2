package dev.steadfast.queue.internal.store;

import static dev.steadfast.queue.internal.store.States.CANCELLED;
import static dev.steadfast.queue.internal.store.States.FAILED;
import static dev.steadfast.queue.internal.store.States.PENDING;
import static dev.steadfast.queue.internal.store.States.RUNNING;
import static dev.steadfast.queue.internal.store.States.WAITING;

import dev.steadfast.queue.JobState;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What operators do to jobs by id: cancel, delete, run now, retry a failed one. A running job is its worker's: it is
 * only asked to stop, never deleted or moved.
 */
public final class JobActions {
    private static final String BACK_TO_PENDING = "state = " + PENDING + ", attempts = 0, run_at = NOW(3),"
            + " lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL, finished_at = NULL, updated_at = NOW(3)";

    JobActions() {}

    /** A job as cancelling it reads it (its row locked). */
    private record Row(long id, JobState state, Long batchId, int dependents, boolean standIn) {}

    /**
     * Cancels jobs: a pending or waiting one becomes cancelled at once (and what its end completes is done:
     * {@link Completions}), a running one is asked to stop (its worker records the outcome). Answers each found job's
     * state before.
     */
    public Map<Long, JobState> cancel(Connection tx, Collection<Long> ids) throws SQLException {
        Map<Long, JobState> before = new HashMap<>();
        if (ids.isEmpty()) {
            return before;
        }
        List<Finished> ended = new ArrayList<>();
        List<Long> standIns = new ArrayList<>();
        for (Row row : Sql.list(
                tx,
                "SELECT id, state, batch_id, dependents, type FROM sf_job WHERE id IN (" + Sql.placeholders(ids.size())
                        + ") FOR UPDATE",
                rs -> new Row(
                        rs.getLong("id"),
                        JobState.valueOf(rs.getString("state").toUpperCase(Locale.ROOT)),
                        rs.getObject("batch_id", Long.class),
                        rs.getInt("dependents"),
                        JobBatches.STAND_IN_TYPE.equals(rs.getString("type"))),
                List.copyOf(ids))) {
            before.put(row.id(), row.state());
            boolean ends = row.state() == JobState.PENDING || row.state() == JobState.WAITING;
            if (ends && (row.batchId() != null || row.dependents() > 0)) {
                ended.add(new Finished(row.id(), JobState.CANCELLED, row.batchId(), row.dependents()));
            }
            if (ends && row.standIn()) {
                standIns.add(row.id());
            }
        }
        if (before.values().stream()
                .anyMatch(
                        state -> state == JobState.PENDING || state == JobState.RUNNING || state == JobState.WAITING)) {
            // assignments run left to right: the request and finish time read the state before it changes
            Sql.update(
                    tx,
                    "UPDATE sf_job SET"
                            + " cancel_requested_at = IF(state = " + RUNNING + ", NOW(3), cancel_requested_at),"
                            + " finished_at = IF(state <> " + RUNNING + ", NOW(3), finished_at), updated_at = NOW(3),"
                            + " state = IF(state <> " + RUNNING + ", " + CANCELLED + ", state)"
                            + " WHERE id IN (" + Sql.placeholders(ids.size()) + ") AND state IN (" + PENDING + ", "
                            + RUNNING + ", " + WAITING + ")",
                    List.copyOf(ids));
        }
        Completions.finished(tx, ended);
        // a stand-in cancelled cancels its batch (a workflow's step that is a batch, a nested batch)
        StepBatches.cancelled(tx, standIns, this);
        return before;
    }

    /** Deletes these jobs and their failure records, leaving running ones alone; returns how many jobs went. */
    public int delete(Connection tx, Collection<Long> ids) throws SQLException {
        return deleteWhere(tx, ids, "<> " + RUNNING);
    }

    /**
     * Deletes those of these jobs that are (still) in state {@code onlyIn}, with their failure records: a job that
     * changed state since it was listed stays. Running jobs are never deleted.
     */
    public int delete(Connection tx, Collection<Long> ids, JobState onlyIn) throws SQLException {
        if (onlyIn == JobState.RUNNING) {
            return 0; // a running job is its worker's until it finishes
        }
        return deleteWhere(tx, ids, "= " + States.literal(onlyIn));
    }

    /** Deletes these jobs whose state is {@code stateCondition} ({@code <> 'running'}, {@code = 'failed'}). */
    private static int deleteWhere(Connection tx, Collection<Long> ids, String stateCondition) throws SQLException {
        if (ids.isEmpty()) {
            return 0;
        }
        String in = Sql.placeholders(ids.size());
        // a job deleted before it ended ends for its batch and the jobs waiting for it as if cancelled
        Completions.finished(
                tx,
                Sql.list(
                        tx,
                        "SELECT id, batch_id, dependents FROM sf_job WHERE id IN (" + in + ") AND state IN (" + PENDING
                                + ", " + WAITING + ") AND state " + stateCondition
                                + " AND (batch_id IS NOT NULL OR dependents > 0) FOR UPDATE",
                        rs -> new Finished(
                                rs.getLong("id"),
                                JobState.CANCELLED,
                                rs.getObject("batch_id", Long.class),
                                rs.getInt("dependents")),
                        ids));
        // a running job is its worker's until it finishes; its failure record goes with it
        Sql.update(
                tx,
                "DELETE f FROM sf_failed_job f JOIN sf_job j ON j.id = f.job_id WHERE j.id IN (" + in + ") AND j.state "
                        + stateCondition,
                ids);
        return Sql.update(tx, "DELETE FROM sf_job WHERE id IN (" + in + ") AND state " + stateCondition, ids);
    }

    /** Makes a scheduled job due now; false when it is not scheduled (no such job, or already due). */
    public boolean runNow(Connection c, long id) throws SQLException {
        return Sql.update(
                        c,
                        "UPDATE sf_job SET run_at = NOW(3), updated_at = NOW(3)" + " WHERE id = ? AND state = "
                                + PENDING + " AND run_at > NOW(3)",
                        id)
                == 1;
    }

    // a nested batch's stand-in never runs: its batch's failed members are retried instead (QueueBatches.retryFailed)
    private static final String NOT_STAND_IN = " AND type <> '" + JobBatches.STAND_IN_TYPE + "'";

    /** Puts those of these jobs that failed back to pending with fresh attempts; returns how many. */
    public int retry(Connection tx, Collection<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return 0;
        }
        String in = Sql.placeholders(ids.size());
        // a failed member or parent coming back: its batch counts it again, its callbacks re-armed
        Completions.reopened(
                tx,
                Sql.list(
                        tx,
                        "SELECT id, batch_id, dependents FROM sf_job WHERE id IN (" + in + ") AND state = " + FAILED
                                + NOT_STAND_IN + " AND (batch_id IS NOT NULL OR dependents > 0) FOR UPDATE",
                        rs -> new Finished(
                                rs.getLong("id"),
                                JobState.PENDING,
                                rs.getObject("batch_id", Long.class),
                                rs.getInt("dependents")),
                        ids));
        // the failure record goes first, while the job still says which of these failed
        Sql.update(
                tx,
                "DELETE f FROM sf_failed_job f JOIN sf_job j ON j.id = f.job_id WHERE j.id IN (" + in
                        + ") AND j.state = " + FAILED,
                ids);
        return Sql.update(
                tx,
                "UPDATE sf_job SET " + BACK_TO_PENDING + " WHERE id IN (" + in + ") AND state = " + FAILED
                        + NOT_STAND_IN,
                ids);
    }
}
