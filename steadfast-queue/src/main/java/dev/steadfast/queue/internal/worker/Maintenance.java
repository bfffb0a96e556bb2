package dev.steadfast.queue.internal.worker;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.internal.store.JobFailure;
import dev.steadfast.queue.internal.store.JobRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;

/**
 * The queue's housekeeping, done by every worker (none is special): jobs whose lease expired (their worker
 * died or was cut off) go back to their queue, or, when that was their last attempt, to the failed-job log;
 * succeeded jobs older than the retention are deleted in batches, and old throughput tallies with them.
 */
public final class Maintenance {
    private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);
    static final int REAP_BATCH = 100;
    static final int PURGE_BATCH = 1000;
    /** How long the per-minute throughput tally is kept (the dashboard shows the last hour). */
    static final Duration TALLY_KEPT = Duration.ofDays(2);
    /** Why a job whose lease expired is retried or failed. */
    static final JobFailure LEASE_EXPIRED = JobFailure.of("dev.steadfast.queue.LeaseExpiredException",
            "the worker running the last attempt stopped renewing its lease (crashed or cut off)");

    private final ResilientDatabase db;
    private final JobRepository repository;
    private final Duration retention;

    public Maintenance(ResilientDatabase db, JobRepository repository, Duration retention) {
        this.db = db;
        this.repository = repository;
        this.retention = retention;
    }

    /** Settles up to a batch of expired leases in one transaction; returns how many jobs were settled. */
    public int reapExpiredLeases() {
        try (Operation op = Operation.named("expired-lease reaper")) {
            return db.transaction(tx -> {
                var expired = repository.lockExpiredLeases(tx, REAP_BATCH);
                for (JobRepository.ExpiredLease lease : expired) {
                    // policy: an interrupted last attempt ends the job; any other attempt is run again
                    if (lease.exhausted()) {
                        repository.failExpired(tx, lease, LEASE_EXPIRED);
                    } else {
                        repository.requeueExpired(tx, lease, LEASE_EXPIRED);
                    }
                }
                return expired.size();
            });
        } catch (SQLException | RuntimeException e) {
            LOG.debug("lease reaper failed: {}", e.getMessage());
            return 0;
        }
    }

    /** Deletes succeeded and cancelled jobs past the retention, a batch at a time; returns how many. */
    public long purgeSucceeded() {
        long total = 0;
        try (Operation op = Operation.named("purge of succeeded jobs")) {
            int purged;
            do {
                purged = db.read(c -> repository.purgeSucceeded(c, retention, PURGE_BATCH));
                total += purged;
            } while (purged == PURGE_BATCH);
            do {
                purged = db.read(c -> repository.purgeCancelled(c, retention, PURGE_BATCH));
                total += purged;
            } while (purged == PURGE_BATCH);
            db.read(c -> repository.forgetFinishedBefore(c, TALLY_KEPT));
        } catch (SQLException | RuntimeException e) {
            LOG.debug("purge of succeeded jobs failed: {}", e.getMessage());
        }
        return total;
    }
}
