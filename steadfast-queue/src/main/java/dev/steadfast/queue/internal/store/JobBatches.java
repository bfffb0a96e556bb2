package dev.steadfast.queue.internal.store;

import static dev.steadfast.queue.internal.store.States.FAILED;
import static dev.steadfast.queue.internal.store.States.PENDING;
import static dev.steadfast.queue.internal.store.States.RUNNING;
import static dev.steadfast.queue.internal.store.States.WAITING;

import dev.steadfast.queue.BatchState;
import dev.steadfast.queue.BatchView;
import dev.steadfast.queue.JobState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Batches ({@code sf_batch}, {@code sf_batch_callback}): their rows, their counts, and the one decision that ends a
 * batch and fires its callbacks ({@link #settle}), always taken on the batch's row locked in the transaction that
 * changed its counts, so that a callback is enqueued exactly once.
 */
public final class JobBatches {
    /** The job type of a nested batch's stand-in job in its parent batch (never claimed: it waits). */
    public static final String STAND_IN_TYPE = "steadfast.batch";

    /** Callback kinds, as bits of {@code sf_batch.callbacks} and {@code armed}. */
    public static final int ON_SUCCESS = 1;

    public static final int ON_COMPLETE = 2;
    public static final int ON_FAILURE = 4;

    private static final String OPEN = "'open'";
    private static final String CANCELLED_BATCH = "'cancelled'";
    private static final String COLUMNS = "id, state, description, total, succeeded, failed, cancelled, on_success_job,"
            + " on_complete_job, on_failure_job, parent_id, job_id, created_at, finished_at";
    // how many member ids one statement names (as bulk actions do)
    private static final int IDS_PER_STATEMENT = 1000;

    /** A callback's job, stored with its batch and copied into {@code sf_job} when it fires. */
    public record Callback(int kind, NewJob job) {}

    JobBatches() {}

    /**
     * A new batch with {@code total} members to come in this transaction; {@code parentId}/{@code standInJobId} for
     * a nested batch. Returns its id.
     */
    public long create(
            Connection tx,
            String description,
            boolean open,
            long total,
            Long parentId,
            Long standInJobId,
            List<Callback> callbacks)
            throws SQLException {
        int kinds = 0;
        for (Callback callback : callbacks) {
            kinds |= callback.kind();
        }
        long id;
        try (PreparedStatement s = tx.prepareStatement(
                "INSERT INTO sf_batch (state, description, total, callbacks, armed, parent_id, job_id)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            Sql.bind(
                    s,
                    1,
                    (open ? BatchState.OPEN : BatchState.RUNNING).text(),
                    Sql.nullAs(description, Types.VARCHAR),
                    total,
                    kinds,
                    kinds,
                    Sql.nullAs(parentId, Types.BIGINT),
                    Sql.nullAs(standInJobId, Types.BIGINT));
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
        }
        if (!callbacks.isEmpty()) {
            long batchId = id;
            Sql.batch(
                    tx,
                    "INSERT INTO sf_batch_callback (batch_id, kind, queue, type, payload, priority, max_attempts,"
                            + " timeout_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    callbacks,
                    (s, c) -> Sql.bind(
                            s,
                            1,
                            batchId,
                            c.kind(),
                            c.job().queue(),
                            c.job().type(),
                            c.job().payloadJson(),
                            c.job().priority(),
                            c.job().maxAttempts(),
                            Sql.nullAs(
                                    c.job().timeout() == null
                                            ? null
                                            : c.job().timeout().toMillis(),
                                    Types.BIGINT)));
        }
        return id;
    }

    /** Settles a batch created without members: a closed one ends at once (its callbacks fire). */
    public void settleEmpty(Connection tx, long batchId) throws SQLException {
        settle(tx, batchId, false);
    }

    /** Whether this batch exists (an enqueue cut off at its commit: did it commit?). */
    public boolean exists(Connection c, long batchId) throws SQLException {
        return Sql.exists(c, "SELECT 1 FROM sf_batch WHERE id = ?", batchId);
    }

    /**
     * The stand-in job of a nested batch in its parent: waiting (never claimed) until the nested batch ends, then
     * succeeded, failed or cancelled as it. Returns its id.
     */
    public long insertStandIn(Connection tx, long parentId, String queue) throws SQLException {
        try (PreparedStatement s = tx.prepareStatement(
                "INSERT INTO sf_job (queue, type, payload, priority, state, max_attempts, run_at, batch_id)"
                        + " VALUES (?, '" + STAND_IN_TYPE + "', '{}', 0, " + WAITING + ", 1, NOW(3), ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            Sql.bind(s, 1, queue, parentId);
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /**
     * Counts {@code added} more members in a batch that has not ended and is not cancelled (locking its row, so a
     * batch cannot end while members are being added); false when it has ended, is cancelled, or does not exist.
     */
    public boolean addMembers(Connection tx, long batchId, long added) throws SQLException {
        return Sql.update(
                        tx,
                        "UPDATE sf_batch SET total = total + ?, updated_at = NOW(3) WHERE id = ? AND finished_at IS NULL"
                                + " AND state <> " + CANCELLED_BATCH,
                        added,
                        batchId)
                == 1;
    }

    /** Closes an open batch: no more members from outside, and it ends when its members have; false when not open. */
    public boolean close(Connection tx, long batchId) throws SQLException {
        if (Sql.update(
                        tx,
                        "UPDATE sf_batch SET state = 'running', updated_at = NOW(3) WHERE id = ? AND state = " + OPEN,
                        batchId)
                == 0) {
            return false;
        }
        settle(tx, batchId, false);
        return true;
    }

    /**
     * Cancels a batch that has not ended: its nested batches first, then its pending and waiting members (cancelled),
     * its running ones (asked to stop); the batch ends when the last of them has. False when it had ended already.
     */
    public boolean cancel(Connection tx, long batchId, JobActions actions) throws SQLException {
        if (Sql.update(
                        tx,
                        "UPDATE sf_batch SET state = " + CANCELLED_BATCH + ", updated_at = NOW(3) WHERE id = ?"
                                + " AND finished_at IS NULL AND state <> " + CANCELLED_BATCH,
                        batchId)
                == 0) {
            return false;
        }
        for (long child : Sql.list(
                tx,
                "SELECT id FROM sf_batch WHERE parent_id = ? AND finished_at IS NULL",
                rs -> rs.getLong("id"),
                batchId)) {
            cancel(tx, child, actions);
        }
        List<Long> members = memberIds(tx, batchId, PENDING + ", " + RUNNING + ", " + WAITING, false);
        for (int from = 0; from < members.size(); from += IDS_PER_STATEMENT) {
            actions.cancel(tx, members.subList(from, Math.min(members.size(), from + IDS_PER_STATEMENT)));
        }
        settle(tx, batchId, false);
        return true;
    }

    /**
     * Puts a batch's failed members back to pending (nested batches' failed members first: their stand-ins wait again),
     * which re-arms its callbacks ({@link BatchMembers#reopened}); returns how many jobs were retried.
     */
    public long retryFailed(Connection tx, long batchId, JobActions actions) throws SQLException {
        long retried = 0;
        for (long child : Sql.list(
                tx, "SELECT id FROM sf_batch WHERE parent_id = ? AND failed > 0", rs -> rs.getLong("id"), batchId)) {
            retried += retryFailed(tx, child, actions);
        }
        List<Long> failed = memberIds(tx, batchId, FAILED, true);
        for (int from = 0; from < failed.size(); from += IDS_PER_STATEMENT) {
            retried += actions.retry(tx, failed.subList(from, Math.min(failed.size(), from + IDS_PER_STATEMENT)));
        }
        return retried;
    }

    /** A batch's members in these states (by the index on batch and state), stand-ins left out if asked. */
    private static List<Long> memberIds(Connection tx, long batchId, String states, boolean withoutStandIns)
            throws SQLException {
        return Sql.list(
                tx,
                "SELECT id FROM sf_job WHERE batch_id = ? AND state IN (" + states + ")"
                        + (withoutStandIns ? " AND type <> '" + STAND_IN_TYPE + "'" : "") + " ORDER BY id",
                rs -> rs.getLong("id"),
                batchId);
    }

    /**
     * Counts members that just finished ({@code succeeded}/{@code failed}/{@code cancelled} of them), locking the row
     * by this UPDATE, then settles the batch: what the new counts complete.
     */
    void count(Connection tx, long batchId, long succeeded, long failed, long cancelled) throws SQLException {
        Sql.update(
                tx,
                "UPDATE sf_batch SET succeeded = succeeded + ?, failed = failed + ?, cancelled = cancelled + ?,"
                        + " updated_at = NOW(3) WHERE id = ?",
                succeeded,
                failed,
                cancelled,
                batchId);
        settle(tx, batchId, failed > 0);
    }

    /**
     * Failed members sent back to run: counted unfinished again, the batch running again if it had ended, and every
     * callback re-armed. Returns the batch's stand-in job that ended failed and waits again (null when none).
     */
    Long reopen(Connection tx, long batchId, long failed) throws SQLException {
        Optional<Row> before = row(tx, batchId);
        if (before.isEmpty()) {
            return null;
        }
        Sql.update(
                tx,
                "UPDATE sf_batch SET failed = GREATEST(failed - ?, 0), armed = callbacks, finished_at = NULL,"
                        + " state = IF(state IN ('succeeded', 'failed'), 'running', state), updated_at = NOW(3)"
                        + " WHERE id = ?",
                failed,
                batchId);
        Long standIn = before.get().jobId();
        if (standIn != null
                && before.get().finishedAt()
                && Sql.update(
                                tx,
                                "UPDATE sf_job SET state = " + WAITING + ", finished_at = NULL, updated_at = NOW(3)"
                                        + " WHERE id = ? AND state = " + FAILED,
                                standIn)
                        == 1) {
            return standIn;
        }
        return null;
    }

    /** A batch's row as settling needs it, locked. */
    private record Row(
            String state,
            long total,
            long succeeded,
            long failed,
            long cancelled,
            int armed,
            Long jobId,
            boolean finishedAt) {}

    private static Optional<Row> row(Connection tx, long batchId) throws SQLException {
        return Sql.first(
                tx,
                "SELECT state, total, succeeded, failed, cancelled, armed, job_id, finished_at IS NOT NULL AS ended"
                        + " FROM sf_batch WHERE id = ? FOR UPDATE",
                rs -> new Row(
                        rs.getString("state"),
                        rs.getLong("total"),
                        rs.getLong("succeeded"),
                        rs.getLong("failed"),
                        rs.getLong("cancelled"),
                        rs.getInt("armed"),
                        Sql.nullableLong(rs, "job_id"),
                        rs.getBoolean("ended")),
                batchId);
    }

    /**
     * What the batch's counts complete, decided on its locked row: on_failure when a member just failed for good;
     * when every member has finished and the batch is not open, the batch ends (succeeded when all succeeded,
     * cancelled when it was cancelled, failed otherwise) with on_success (all succeeded) and on_complete, and its
     * stand-in job ends as it (which counts it in the parent batch). Each fired callback is disarmed in the same
     * statement that records its job.
     */
    private void settle(Connection tx, long batchId, boolean memberFailed) throws SQLException {
        Optional<Row> found = row(tx, batchId);
        if (found.isEmpty()) {
            return;
        }
        Row row = found.get();
        int fire = memberFailed ? row.armed() & ON_FAILURE : 0;
        boolean ends = !row.finishedAt()
                && !row.state().equals(BatchState.OPEN.text())
                && row.succeeded() + row.failed() + row.cancelled() >= row.total();
        BatchState end = null;
        if (ends) {
            end = row.state().equals(BatchState.CANCELLED.text())
                    ? BatchState.CANCELLED
                    : row.failed() + row.cancelled() > 0 ? BatchState.FAILED : BatchState.SUCCEEDED;
            fire |= row.armed() & (ON_COMPLETE | (end == BatchState.SUCCEEDED ? ON_SUCCESS : 0));
        }
        if (fire == 0 && !ends) {
            return;
        }
        Long onSuccess = (fire & ON_SUCCESS) != 0 ? fire(tx, batchId, ON_SUCCESS) : null;
        Long onComplete = (fire & ON_COMPLETE) != 0 ? fire(tx, batchId, ON_COMPLETE) : null;
        Long onFailure = (fire & ON_FAILURE) != 0 ? fire(tx, batchId, ON_FAILURE) : null;
        Sql.update(
                tx,
                "UPDATE sf_batch SET armed = armed & ~?, on_success_job = COALESCE(?, on_success_job),"
                        + " on_complete_job = COALESCE(?, on_complete_job), on_failure_job = COALESCE(?, on_failure_job),"
                        + " state = COALESCE(?, state), finished_at = IF(?, NOW(3), finished_at), updated_at = NOW(3)"
                        + " WHERE id = ?",
                fire,
                Sql.nullAs(onSuccess, Types.BIGINT),
                Sql.nullAs(onComplete, Types.BIGINT),
                Sql.nullAs(onFailure, Types.BIGINT),
                Sql.nullAs(end == null ? null : end.text(), Types.VARCHAR),
                ends,
                batchId);
        if (ends && row.jobId() != null) {
            endStandIn(tx, row.jobId(), end);
        }
    }

    /** A nested batch ended: its stand-in leaves waiting as the batch ended, and its own end is completed. */
    private static void endStandIn(Connection tx, long jobId, BatchState end) throws SQLException {
        JobState state = switch (end) {
            case SUCCEEDED -> JobState.SUCCEEDED;
            case CANCELLED -> JobState.CANCELLED;
            default -> JobState.FAILED;
        };
        if (Sql.update(
                        tx,
                        "UPDATE sf_job SET state = " + States.literal(state)
                                + ", finished_at = NOW(3), updated_at = NOW(3) WHERE id = ? AND state = " + WAITING,
                        jobId)
                == 1) {
            Completions.finished(tx, Completions.read(tx, jobId, state));
        }
    }

    /** Enqueues a callback's job (an ordinary pending job naming its batch in {@code callback_of}); its id. */
    private static long fire(Connection tx, long batchId, int kind) throws SQLException {
        try (PreparedStatement s = tx.prepareStatement(
                "INSERT INTO sf_job (queue, type, payload, priority, state, max_attempts, run_at, timeout_ms,"
                        + " callback_of) SELECT queue, type, payload, priority, " + PENDING + ", max_attempts, NOW(3),"
                        + " timeout_ms, batch_id FROM sf_batch_callback WHERE batch_id = ? AND kind = ?",
                Statement.RETURN_GENERATED_KEYS)) {
            Sql.bind(s, 1, batchId, kind);
            if (s.executeUpdate() != 1) {
                throw new SQLException("batch " + batchId + " has no callback of kind " + kind + " to enqueue");
            }
            Claimable.mark(); // a pending callback: the workers are woken after the commit
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /**
     * Deletes batches that ended over {@code retention} ago and have nothing left to show: no member (purged or deleted,
     * as their own retention says: failed members kept longer keep their batch) and no stand-in in a parent batch; with
     * their callbacks' templates. Returns how many were found to go.
     */
    public int purgeEnded(Connection c, Duration retention, int limit) throws SQLException {
        List<Long> ids = Sql.list(
                c,
                "SELECT b.id FROM sf_batch b WHERE b.finished_at < TIMESTAMPADD(MICROSECOND, ?, NOW(3))"
                        + " AND NOT EXISTS (SELECT 1 FROM sf_job j WHERE j.batch_id = b.id)"
                        + " AND NOT EXISTS (SELECT 1 FROM sf_job s WHERE s.id = b.job_id)"
                        + " ORDER BY b.finished_at LIMIT ?",
                rs -> rs.getLong(1),
                -Sql.micros(retention),
                limit);
        if (ids.isEmpty()) {
            return 0;
        }
        String in = Sql.placeholders(ids.size());
        Sql.update(c, "DELETE FROM sf_batch_callback WHERE batch_id IN (" + in + ")", ids);
        // still ended: a retry of its failed members since the read reopened it (and its members exist again)
        Sql.update(c, "DELETE FROM sf_batch WHERE id IN (" + in + ") AND finished_at IS NOT NULL", ids);
        return ids.size();
    }

    /** A batch with its progress: counters, and its running members counted by index range. */
    public Optional<BatchView> view(Connection c, long batchId) throws SQLException {
        Optional<BatchView> found =
                Sql.first(c, "SELECT " + COLUMNS + " FROM sf_batch WHERE id = ?", JobBatches::readView, batchId);
        return found.isEmpty() ? found : Optional.of(withRunning(c, found.get()));
    }

    /** Batches newest first, those with ids below {@code beforeId} (null: from the newest), with their progress. */
    public List<BatchView> page(Connection c, Long beforeId, int limit) throws SQLException {
        List<BatchView> page = Sql.list(
                c,
                "SELECT " + COLUMNS + " FROM sf_batch" + (beforeId == null ? "" : " WHERE id < ?")
                        + " ORDER BY id DESC LIMIT " + Math.max(1, limit),
                JobBatches::readView,
                beforeId == null ? new Object[0] : new Object[] {beforeId});
        List<BatchView> views = new ArrayList<>(page.size());
        for (BatchView view : page) {
            views.add(withRunning(c, view));
        }
        return views;
    }

    /** The batch a job is a member of ({@code member}) or the callback of; empty when none. */
    public Optional<Long> batchOf(Connection c, long jobId, boolean member) throws SQLException {
        String column = member ? "batch_id" : "callback_of";
        return Sql.first(
                c,
                "SELECT " + column + " AS b FROM sf_job WHERE id = ? AND " + column + " IS NOT NULL",
                rs -> rs.getLong("b"),
                jobId);
    }

    private static BatchView withRunning(Connection c, BatchView v) throws SQLException {
        if (v.finishedAt() != null) {
            return v;
        }
        long running = Sql.one(
                c,
                "SELECT COUNT(*) AS n FROM sf_job WHERE batch_id = ? AND state = " + RUNNING,
                rs -> rs.getLong("n"),
                v.id());
        long unfinished = Math.max(0, v.total() - v.succeeded() - v.failed() - v.cancelled());
        running = Math.min(running, unfinished);
        return new BatchView(
                v.id(),
                v.state(),
                v.description(),
                v.total(),
                unfinished - running,
                running,
                v.succeeded(),
                v.failed(),
                v.cancelled(),
                v.onSuccessJob(),
                v.onCompleteJob(),
                v.onFailureJob(),
                v.parentBatchId(),
                v.standInJobId(),
                v.createdAt(),
                v.finishedAt());
    }

    private static BatchView readView(ResultSet rs) throws SQLException {
        long total = rs.getLong("total");
        long succeeded = rs.getLong("succeeded");
        long failed = rs.getLong("failed");
        long cancelled = rs.getLong("cancelled");
        return new BatchView(
                rs.getLong("id"),
                BatchState.valueOf(rs.getString("state").toUpperCase(Locale.ROOT)),
                rs.getString("description"),
                total,
                Math.max(0, total - succeeded - failed - cancelled),
                0,
                succeeded,
                failed,
                cancelled,
                Sql.nullableLong(rs, "on_success_job"),
                Sql.nullableLong(rs, "on_complete_job"),
                Sql.nullableLong(rs, "on_failure_job"),
                Sql.nullableLong(rs, "parent_id"),
                Sql.nullableLong(rs, "job_id"),
                Sql.instant(rs.getTimestamp("created_at")),
                Sql.instant(rs.getTimestamp("finished_at")));
    }
}
