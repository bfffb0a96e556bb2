package dev.steadfast.queue.internal.store;

import static dev.steadfast.queue.internal.store.States.PENDING;
import static dev.steadfast.queue.internal.store.States.WAITING;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Batches that are a workflow's steps. The step's job is the batch's stand-in ({@code sf_batch.job_id}, type
 * {@value JobBatches#STAND_IN_TYPE}, waiting, no parent batch). Its members, nested batches' too, are <em>held</em>
 * while the step waits for its parents: stored {@code waiting} with {@code unmet} 0 (a job waiting for parents has
 * {@code unmet} above 0; a stand-in is recognised by its type), so neither a claim nor a parent's end touches them.
 * The parent's end that meets the step's last edge releases them all ({@link Dependents}), in its transaction, with
 * one UPDATE by batch id; the stand-in itself waits until its batch ends ({@link JobBatches}). Members always have
 * larger ids than their stand-in (inserted after it), so locks still go ancestors first.
 */
public final class StepBatches {
    private static final String MEMBER = " AND type <> '" + JobBatches.STAND_IN_TYPE + "'";
    private static final JobBatches BATCHES = new JobBatches();

    StepBatches() {}

    /** Makes these stand-ins (just inserted pending by this transaction) wait, for their batches. */
    public void standIn(Connection tx, List<Long> jobIds) throws SQLException {
        if (!jobIds.isEmpty()) {
            Sql.update(
                    tx,
                    "UPDATE sf_job SET state = " + WAITING + " WHERE id IN (" + Sql.placeholders(jobIds.size())
                            + ") AND state = " + PENDING,
                    jobIds);
        }
    }

    /** Holds the pending members of this batch and of its nested batches: waiting, with no unmet parent. */
    public void hold(Connection tx, long batchId) throws SQLException {
        List<Long> tree = tree(tx, List.of(batchId));
        Sql.update(
                tx,
                "UPDATE sf_job SET state = " + WAITING + " WHERE batch_id IN (" + Sql.placeholders(tree.size())
                        + ") AND state = " + PENDING + MEMBER,
                tree);
    }

    /**
     * Whether this batch's members are held: its outermost batch stands for a step whose stand-in still waits for
     * parents (read locking the stand-in, so a release committing meanwhile is seen, or waits for this transaction).
     */
    public boolean held(Connection tx, long batchId) throws SQLException {
        long at = batchId;
        for (int depth = 0; depth < 1000; depth++) {
            Optional<Long[]> row = Sql.first(
                    tx,
                    "SELECT parent_id, job_id FROM sf_batch WHERE id = ?",
                    rs -> new Long[] {Sql.nullableLong(rs, "parent_id"), Sql.nullableLong(rs, "job_id")},
                    at);
            if (row.isEmpty()) {
                return false;
            }
            if (row.get()[0] == null) {
                Long standIn = row.get()[1];
                return standIn != null
                        && Sql.exists(
                                tx,
                                "SELECT 1 FROM sf_job WHERE id = ? AND state = " + WAITING
                                        + " AND unmet > 0 LOCK IN SHARE MODE",
                                standIn);
            }
            at = row.get()[0];
        }
        return false;
    }

    /**
     * These children just had their last edge met: those that are stand-ins release their batches' held members
     * (nested batches' too), in one UPDATE, members due at once or at their own later run time.
     */
    static void released(Connection tx, Collection<Long> children) throws SQLException {
        List<Long> standIns = Sql.list(
                tx,
                "SELECT id FROM sf_job WHERE id IN (" + Sql.placeholders(children.size()) + ") AND type = '"
                        + JobBatches.STAND_IN_TYPE + "' AND state = " + WAITING + " AND unmet = 0",
                rs -> rs.getLong("id"),
                List.copyOf(children));
        if (standIns.isEmpty()) {
            return;
        }
        List<Long> tree = tree(tx, new ArrayList<>(batchesOf(tx, standIns).values()));
        if (tree.isEmpty()) {
            return;
        }
        Sql.update(
                tx,
                "UPDATE sf_job SET run_at = GREATEST(run_at, NOW(3)), updated_at = NOW(3), state = " + PENDING
                        + " WHERE batch_id IN (" + Sql.placeholders(tree.size()) + ") AND state = " + WAITING
                        + " AND unmet = 0" + MEMBER,
                tree);
    }

    /** These stand-ins were cancelled: their batches are cancelled (held members cancelled, callbacks as a cancel). */
    static void cancelled(Connection tx, List<Long> standIns, JobActions actions) throws SQLException {
        if (standIns.isEmpty()) {
            return;
        }
        for (long batchId : batchesOf(tx, standIns).values()) {
            BATCHES.cancel(tx, batchId, actions);
        }
    }

    /** The batches these jobs stand for, by stand-in job id, in job id order (jobs that stand for none left out). */
    public Map<Long, Long> of(Connection c, Collection<Long> jobIds) throws SQLException {
        return jobIds.isEmpty() ? Map.of() : batchesOf(c, List.copyOf(jobIds));
    }

    private static Map<Long, Long> batchesOf(Connection c, List<Long> jobIds) throws SQLException {
        Map<Long, Long> batches = new LinkedHashMap<>();
        Sql.each(
                c,
                "SELECT job_id, id FROM sf_batch WHERE job_id IN (" + Sql.placeholders(jobIds.size())
                        + ") ORDER BY job_id",
                rs -> batches.put(rs.getLong("job_id"), rs.getLong("id")),
                jobIds);
        return batches;
    }

    /** These batches and every batch nested in them, at any depth. */
    private static List<Long> tree(Connection c, List<Long> roots) throws SQLException {
        List<Long> all = new ArrayList<>(roots);
        List<Long> level = roots;
        while (!level.isEmpty()) {
            level = Sql.list(
                    c,
                    "SELECT id FROM sf_batch WHERE parent_id IN (" + Sql.placeholders(level.size()) + ")",
                    rs -> rs.getLong("id"),
                    level);
            all.addAll(level);
        }
        return all;
    }
}
