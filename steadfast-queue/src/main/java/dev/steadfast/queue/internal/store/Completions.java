package dev.steadfast.queue.internal.store;

import dev.steadfast.queue.JobState;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What a job's end completes, done in the transaction that records the end, so it happens exactly once: its batch's
 * count and callbacks ({@link BatchMembers}), the jobs that wait for it ({@link Dependents}). Every path that ends a
 * job that can be a member or a parent calls {@link #finished} (the exits from running in {@link LeavingRunning},
 * cancellation of a pending or waiting job, a batch's stand-in job ending), and a finished job sent back to run
 * (retry of a failed job) calls {@link #reopened}.
 */
public final class Completions {
    private Completions() {}

    /** What these jobs' ends complete; {@code finished} lists only jobs whose row this transaction changed. */
    public static void finished(Connection tx, List<Finished> finished) throws SQLException {
        if (finished.isEmpty()) {
            return;
        }
        BatchMembers.finished(tx, finished);
        Dependents.finished(tx, finished);
    }

    /** Finished jobs sent back to run: their batches count them again and re-arm their callbacks. */
    public static void reopened(Connection tx, List<Finished> reopened) throws SQLException {
        if (reopened.isEmpty()) {
            return;
        }
        BatchMembers.reopened(tx, reopened);
        Dependents.reopened(tx, reopened);
    }

    /**
     * The job this transaction just ended, as {@link #finished} needs it, or nothing when it is neither a member nor a
     * parent (one read by primary key of the row the transaction holds locked, so it sees its latest dependents).
     */
    static List<Finished> read(Connection tx, long jobId, JobState state) throws SQLException {
        return Sql.list(
                tx,
                "SELECT batch_id, dependents FROM sf_job WHERE id = ? AND (batch_id IS NOT NULL OR dependents > 0)",
                rs -> new Finished(jobId, state, rs.getObject("batch_id", Long.class), rs.getInt("dependents")),
                jobId);
    }
}
