package dev.steadfast.queue.internal.store;

import static dev.steadfast.queue.internal.store.States.RUNNING;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The leases of running jobs: renewed by their workers, found expired by maintenance (which takes them out of
 * running through {@link LeavingRunning}), and the cancellations asked of them.
 */
public final class Leases {
    /** A running job whose lease has expired: its worker stopped renewing it. */
    public record ExpiredLease(long jobId, int attempts, int maxAttempts, String concurrencyKey) {
        /** Whether the interrupted attempt was its last. */
        public boolean exhausted() {
            return attempts >= maxAttempts;
        }
    }

    Leases() {}

    /** Renews the leases of these jobs still ours; returns how many. */
    public int extendLeases(Connection c, Collection<ClaimedJob> jobs, Duration lease) throws SQLException {
        int extended = 0;
        for (ClaimedJob job : jobs) {
            extended += Sql.update(
                    c,
                    "UPDATE sf_job SET lease_expires_at = TIMESTAMPADD(MICROSECOND, ?, NOW(3))"
                            + " WHERE id = ? AND lease_token = ? AND state = " + RUNNING,
                    Sql.micros(lease),
                    job.id(),
                    job.leaseToken());
        }
        return extended;
    }

    /** Up to {@code limit} running jobs whose lease expired, locked (skipping those another worker holds). */
    public List<ExpiredLease> lockExpiredLeases(Connection tx, int limit) throws SQLException {
        return Sql.list(
                tx,
                "SELECT id, attempts, max_attempts, concurrency_key FROM sf_job" + " WHERE state = " + RUNNING
                        + " AND lease_expires_at < NOW(3) LIMIT ? FOR UPDATE SKIP LOCKED",
                rs -> new ExpiredLease(
                        rs.getLong("id"),
                        rs.getInt("attempts"),
                        rs.getInt("max_attempts"),
                        rs.getString("concurrency_key")),
                limit);
    }

    /** Those of these jobs, still under these leases, whose cancellation was requested. */
    public Set<Long> cancelRequested(Connection c, Collection<ClaimedJob> jobs) throws SQLException {
        Set<Long> requested = new HashSet<>();
        if (jobs.isEmpty()) {
            return requested;
        }
        record Lease(long id, long token) {}
        for (Lease lease : Sql.list(
                c,
                "SELECT id, lease_token FROM sf_job WHERE id IN (" + Sql.placeholders(jobs.size())
                        + ") AND cancel_requested_at IS NOT NULL AND state = " + RUNNING,
                rs -> new Lease(rs.getLong("id"), rs.getLong("lease_token")),
                jobs.stream().map(ClaimedJob::id).toList())) {
            if (jobs.stream().anyMatch(job -> job.id() == lease.id() && job.leaseToken() == lease.token())) {
                requested.add(lease.id());
            }
        }
        return requested;
    }
}
