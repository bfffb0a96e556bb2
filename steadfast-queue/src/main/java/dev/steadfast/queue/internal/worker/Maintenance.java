package dev.steadfast.queue.internal.worker;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.jdbc.UnitOfWork;
import dev.steadfast.queue.internal.store.JobFailure;
import dev.steadfast.queue.internal.store.Leases;
import dev.steadfast.queue.internal.store.Store;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue's housekeeping, done by every worker (none is special): jobs whose lease expired (their worker
 * died or was cut off) go back to their queue, or, when that was their last attempt, to the failed-job log;
 * succeeded, cancelled and failed jobs older than their {@link Retention} (and failed ones over its cap) are deleted in
 * batches of {@value #PURGE_BATCH}, each its own short statement, and old throughput tallies with them.
 */
public final class Maintenance {
    private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);
    static final int REAP_BATCH = 100;
    static final int PURGE_BATCH = 1000;
    /** How long the per-minute throughput tally is kept (the dashboard shows the last hour). */
    static final Duration TALLY_KEPT = Duration.ofDays(2);
    /** Why a job whose lease expired is retried or failed. */
    static final JobFailure LEASE_EXPIRED = JobFailure.of(
            "dev.steadfast.queue.LeaseExpiredException",
            "the worker running the last attempt stopped renewing its lease (crashed or cut off)");

    private final ResilientDatabase db;
    private final Store store;
    private final Retention retention;

    public Maintenance(ResilientDatabase db, Store store, Retention retention) {
        this.db = db;
        this.store = store;
        this.retention = retention;
    }

    /** Settles up to a batch of expired leases in one transaction; returns how many jobs were settled. */
    public int reapExpiredLeases() {
        try (Operation op = Operation.named("expired-lease reaper")) {
            return db.transaction(tx -> {
                var expired = store.leases().lockExpiredLeases(tx, REAP_BATCH);
                for (Leases.ExpiredLease lease : expired) {
                    // policy: an interrupted last attempt ends the job; any other attempt is run again
                    if (lease.exhausted()) {
                        store.leaving().failExpired(tx, lease, LEASE_EXPIRED);
                    } else {
                        store.leaving().requeueExpired(tx, lease, LEASE_EXPIRED);
                    }
                }
                return expired.size();
            });
        } catch (SQLException | RuntimeException e) {
            LOG.debug("lease reaper failed: {}", e.getMessage());
            return 0;
        }
    }

    /**
     * Deletes succeeded and cancelled jobs past their retention, failed jobs past theirs and beyond the cap, a batch at a
     * time; logs what it deleted and returns how many.
     */
    public long purgeFinished() {
        long finished = 0;
        long failed = 0;
        long overCap = 0;
        try (Operation op = Operation.named("purge of finished jobs")) {
            finished += batches(c -> store.purges().purgeSucceeded(c, retention.finished(), PURGE_BATCH));
            finished += batches(c -> store.purges().purgeCancelled(c, retention.finished(), PURGE_BATCH));
            if (!retention.failed().isZero()) {
                failed = batches(c -> store.purges().purgeFailed(c, retention.failed(), PURGE_BATCH));
            }
            if (retention.failedKept() > 0) {
                long last = db.read(c -> store.purges().failedBeyond(c, retention.failedKept()));
                if (last > 0) {
                    overCap = batches(c -> store.purges().purgeFailedUpTo(c, last, PURGE_BATCH));
                }
            }
            // a batch goes once its members have (they ended before it did, under the same or a longer retention)
            batches(c -> store.batches().purgeEnded(c, retention.finished(), PURGE_BATCH));
            db.read(c -> store.throughput().forgetFinishedBefore(c, TALLY_KEPT));
            db.read(c -> store.workers().forgetWorkerRecords(c, WorkerRecord.KEPT));
        } catch (SQLException | RuntimeException e) {
            LOG.debug("purge of finished jobs failed: {}", e.getMessage());
        }
        if (finished + failed + overCap > 0) {
            LOG.info(
                    "retention: deleted {} succeeded or cancelled job(s) finished over {} ago, {} failed job(s) failed over {}"
                            + " ago and {} beyond the cap of {} failed jobs kept (work --retention, --failed-retention,"
                            + " --failed-keep)",
                    finished,
                    Retention.describe(retention.finished()),
                    failed,
                    retention.failed().isZero() ? "(no age limit)" : Retention.describe(retention.failed()),
                    overCap,
                    retention.failedKept());
        }
        return finished + failed + overCap;
    }

    /** Runs a purge batch after batch while they come back full. */
    private long batches(UnitOfWork<Integer> batch) throws SQLException {
        long total = 0;
        int purged;
        do {
            purged = db.read(batch);
            total += purged;
        } while (purged == PURGE_BATCH);
        return total;
    }
}
