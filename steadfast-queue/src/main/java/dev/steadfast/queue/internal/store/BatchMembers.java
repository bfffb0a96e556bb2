package dev.steadfast.queue.internal.store;

import dev.steadfast.queue.JobState;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A batch's members ending (or coming back): their batches' counts, once per batch per call (a success batch of 200
 * members of one batch is one UPDATE of its row, not 200), and what the new counts complete ({@link JobBatches}).
 * Batches are visited in id order, so two transactions ending members of the same batches lock their rows in the same
 * order and cannot deadlock on them.
 */
final class BatchMembers {
    private static final JobBatches BATCHES = new JobBatches();

    private BatchMembers() {}

    static void finished(Connection tx, List<Finished> finished) throws SQLException {
        Map<Long, long[]> byBatch = new TreeMap<>();
        for (Finished f : finished) {
            if (f.batchId() == null) {
                continue;
            }
            long[] counts = byBatch.computeIfAbsent(f.batchId(), id -> new long[3]);
            switch (f.state()) {
                case SUCCEEDED -> counts[0]++;
                case FAILED -> counts[1]++;
                case CANCELLED -> counts[2]++;
                default -> {} // not an end
            }
        }
        for (Map.Entry<Long, long[]> batch : byBatch.entrySet()) {
            long[] c = batch.getValue();
            if (c[0] + c[1] + c[2] > 0) {
                BATCHES.count(tx, batch.getKey(), c[0], c[1], c[2]);
            }
        }
    }

    /** Failed members retried: their batches count them unfinished again and re-arm their callbacks. */
    static void reopened(Connection tx, List<Finished> reopened) throws SQLException {
        Map<Long, Long> byBatch = new TreeMap<>();
        for (Finished f : reopened) {
            if (f.batchId() != null) {
                byBatch.merge(f.batchId(), 1L, Long::sum);
            }
        }
        for (Map.Entry<Long, Long> batch : byBatch.entrySet()) {
            Long standIn = BATCHES.reopen(tx, batch.getKey(), batch.getValue());
            if (standIn != null) {
                // a nested batch running again: its stand-in waits again, and its parent counts it unfinished
                Completions.reopened(tx, Completions.read(tx, standIn, JobState.PENDING));
            }
        }
    }
}
