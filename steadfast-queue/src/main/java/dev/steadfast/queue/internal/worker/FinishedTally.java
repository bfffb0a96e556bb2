package dev.steadfast.queue.internal.worker;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.events.WorkerEvent;
import dev.steadfast.queue.events.WorkerListener;
import dev.steadfast.queue.internal.store.Store;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This worker's jobs finished per minute, added to the shared tally ({@code sf_job_minute}) every few seconds: the
 * throughput chart then reads one row per minute instead of counting an hour of jobs. The flush is one
 * transaction with a commit marker, so a connection cut at COMMIT neither loses nor doubles a tally; a tally that
 * could not be written is kept for the next flush. Minutes are this host's clock.
 */
public final class FinishedTally implements WorkerListener {
    private static final Logger LOG = LoggerFactory.getLogger(FinishedTally.class);

    private final ResilientDatabase db;
    private final Store store;
    private final Map<Long, long[]> pending = new HashMap<>(); // epoch minute -> succeeded, failed

    public FinishedTally(ResilientDatabase db, Store store) {
        this.db = db;
        this.store = store;
    }

    @Override
    public void onEvent(WorkerEvent event) {
        if (event instanceof WorkerEvent.JobFinished f
                && (f.result() == WorkerEvent.JobFinished.Result.SUCCEEDED
                        || f.result() == WorkerEvent.JobFinished.Result.FAILED)) {
            long minute = Math.floorDiv(f.at().getEpochSecond(), 60);
            synchronized (pending) {
                pending.computeIfAbsent(minute, m -> new long[2])[
                        f.result() == WorkerEvent.JobFinished.Result.SUCCEEDED ? 0 : 1]++;
            }
        }
    }

    /** Writes what was tallied since the last flush; on failure keeps it for the next one. */
    public void flush() {
        Map<Long, long[]> taken;
        synchronized (pending) {
            if (pending.isEmpty()) {
                return;
            }
            taken = new TreeMap<>(pending);
            pending.clear();
        }
        try (Operation op = Operation.named("throughput tally")) {
            db.transaction(tx -> {
                store.throughput().addFinished(tx, taken);
                return null;
            });
        } catch (SQLException | RuntimeException e) {
            LOG.debug("throughput tally not written, kept for the next flush: {}", e.getMessage());
            synchronized (pending) {
                taken.forEach((minute, n) -> {
                    long[] kept = pending.computeIfAbsent(minute, m -> new long[2]);
                    kept[0] += n[0];
                    kept[1] += n[1];
                });
            }
        }
    }
}
