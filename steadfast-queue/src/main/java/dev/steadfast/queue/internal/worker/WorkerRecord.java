package dev.steadfast.queue.internal.worker;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.internal.store.Store;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what a worker ran (jobs, and how many failed for good) every few seconds, and once more when it stops
 * cleanly, so that the dashboard shows its counts while it runs and for a day after it stopped.
 */
public final class WorkerRecord {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerRecord.class);
    /** How long the record of a worker no longer heard of is kept. */
    static final Duration KEPT = Duration.ofDays(2);

    private final ResilientDatabase db;
    private final Store store;
    private final String workerId;
    private final String host = LeaseKeeper.localHostName();
    private final String queues;
    private final JobCounts counts;
    private final PrivilegeDenials denials = new PrivilegeDenials(LOG);

    public WorkerRecord(ResilientDatabase db, Store store, String workerId, List<String> queues, JobCounts counts) {
        this.db = db;
        this.store = store;
        this.workerId = workerId;
        this.queues = String.join(",", queues);
        this.counts = counts;
    }

    /** The counts so far; a failure waits for the next report. */
    public void report() {
        write(false);
    }

    /** The final counts, and that the worker stopped cleanly now. */
    public void stopped() {
        write(true);
    }

    private void write(boolean stopped) {
        long jobs = counts.jobs();
        long failed = counts.failed();
        try (Operation op = Operation.named("record of the worker's jobs")) {
            db.read(c -> {
                store.workers().recordWork(c, workerId, host, queues, jobs, failed, stopped);
                return null;
            });
        } catch (SQLException | RuntimeException e) {
            if (denials.handled("recording worker " + workerId + "'s jobs", e)) {
                return;
            }
            LOG.debug("could not record worker {}'s jobs: {}", workerId, e.getMessage());
        }
    }
}
