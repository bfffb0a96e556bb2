package dev.steadfast.queue.internal.store;

import static dev.steadfast.queue.internal.store.ConcurrencySlots.NOT_AT_LIMIT;
import static dev.steadfast.queue.internal.store.States.PENDING;
import static dev.steadfast.queue.internal.store.States.RUNNING;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Claims: due pending jobs become running under a worker's lease, within their queues' pauses, rate permits and
 * their keys' concurrency slots; and what a worker asks before and after (anything due? did my claim commit?).
 */
public final class Claims {
    /**
     * What a claim came to: the jobs, and when the earliest permit of a rate-limited queue it found none of frees
     * again (null when it met no such queue), so the worker asks again then rather than at its next idle poll.
     */
    public record Claim(List<ClaimedJob> jobs, Duration nextPermitIn) {}

    Claims() {}

    /**
     * Locks up to {@code limit} due jobs of these queues (in the order given) and types, skipping rows other claims
     * hold, and makes them running under this lease. Call in a transaction.
     */
    public List<ClaimedJob> claim(
            Connection tx,
            List<String> queues,
            Collection<String> types,
            int limit,
            String owner,
            long token,
            Duration lease)
            throws SQLException {
        return claim(tx, queues, types, limit, owner, token, lease, Set.of()).jobs();
    }

    /** As above; jobs of the {@code rateLimited} queues start only under their free permits, which they use. */
    public Claim claim(
            Connection tx,
            List<String> queues,
            Collection<String> types,
            int limit,
            String owner,
            long token,
            Duration lease,
            Set<String> rateLimited)
            throws SQLException {
        List<ClaimedJob> jobs = new ArrayList<>(limit);
        Map<String, RatePermits.Held> permits = new HashMap<>();
        Duration nextPermitIn = null;
        // queues in the order given: one SELECT per queue, the next only while the batch is not full. A paused queue
        // gives nothing, nor does a rate-limited one unless claimed under its permits: the subquery is a plain
        // (non-locking) read even inside the locking SELECT, so a pause waits for no claim and no claim for a pause
        try (PreparedStatement s =
                tx.prepareStatement("SELECT id, queue, type, payload, attempts, max_attempts, timeout_ms,"
                        + " concurrency_key, batch_id, workflow_id, callback_of FROM sf_job"
                        + " WHERE state = " + PENDING + " AND queue = ? AND run_at <= NOW(3) AND type IN ("
                        + Sql.placeholders(types.size()) + ")"
                        + " AND NOT EXISTS (SELECT 1 FROM sf_queue p WHERE p.name = ? AND (p.paused = 1 OR (p.rate_limit IS NOT NULL AND ? = 0)))"
                        + NOT_AT_LIMIT + " ORDER BY priority DESC, run_at, id LIMIT ? FOR UPDATE SKIP LOCKED")) {
            for (String queue : queues) {
                int wanted = limit - jobs.size();
                if (wanted <= 0) {
                    break;
                }
                boolean limited = rateLimited.contains(queue);
                if (limited) {
                    RatePermits.Held free = RatePermits.free(tx, queue, wanted);
                    if (free.waitUntilNext() != null
                            && (nextPermitIn == null || free.waitUntilNext().compareTo(nextPermitIn) < 0)) {
                        nextPermitIn = free.waitUntilNext();
                    }
                    if (free.ids().isEmpty()) {
                        continue;
                    }
                    permits.put(queue, free);
                    wanted = free.ids().size();
                }
                Sql.bind(s, 1, queue, types, queue, limited, wanted);
                jobs.addAll(Sql.read(s, rs -> {
                    long timeoutMs = rs.getLong("timeout_ms");
                    Duration timeout = rs.wasNull() ? null : Duration.ofMillis(timeoutMs);
                    return new ClaimedJob(
                            rs.getLong("id"),
                            rs.getString("queue"),
                            rs.getString("type"),
                            rs.getString("payload"),
                            rs.getInt("attempts") + 1,
                            rs.getInt("max_attempts"),
                            token,
                            timeout,
                            rs.getString("concurrency_key"),
                            rs.getObject("batch_id", Long.class),
                            rs.getObject("workflow_id", Long.class),
                            rs.getObject("callback_of", Long.class));
                }));
            }
        }
        jobs = ConcurrencySlots.take(tx, jobs);
        if (jobs.isEmpty()) {
            return new Claim(jobs, nextPermitIn);
        }
        Sql.update(
                tx,
                "UPDATE sf_job SET state = " + RUNNING + ", attempts = attempts + 1,"
                        + " attempt_started_at = NOW(3), lease_owner = ?, lease_token = ?, lease_expires_at = TIMESTAMPADD(MICROSECOND, ?, NOW(3)),"
                        + " updated_at = NOW(3) WHERE id IN (" + Sql.placeholders(jobs.size()) + ")",
                owner,
                token,
                Sql.micros(lease),
                jobs.stream().map(ClaimedJob::id).toList());
        RatePermits.use(
                tx, permits, jobs); // after the starts, so a permit frees no earlier than one period after its start
        return new Claim(jobs, nextPermitIn);
    }

    /** Whether a claim of these queues and types would find a job now (the claim's filter, without its locks). */
    public boolean anyDue(Connection c, Collection<String> queues, Collection<String> types) throws SQLException {
        // the claim's own filter without its locks, so "yes" means a claim would find something
        return Sql.exists(
                c,
                "SELECT 1 FROM sf_job WHERE state = " + PENDING + " AND queue IN ("
                        + Sql.placeholders(queues.size()) + ") AND run_at <= NOW(3) AND type IN ("
                        + Sql.placeholders(types.size()) + ")"
                        + " AND queue NOT IN (SELECT name FROM sf_queue WHERE paused = 1 OR (rate_limit IS NOT NULL AND NOT EXISTS"
                        + " (SELECT 1 FROM sf_rate_permit r WHERE r.queue = sf_queue.name AND r.free_at <= NOW(3)"
                        + " AND r.slot < sf_queue.rate_limit)))" + NOT_AT_LIMIT
                        + " LIMIT 1",
                queues,
                types);
    }

    /** Jobs of these queues and types still to do now: running, due, or waiting out a retry's backoff. */
    public long unfinished(Connection c, Collection<String> queues, Collection<String> types) throws SQLException {
        // a job delayed to later, never tried, is not work left now; a retry waiting out its backoff is; nor is a job
        // waiting in a paused queue
        return Sql.one(
                c,
                "SELECT COUNT(*) AS n FROM sf_job WHERE (state = " + RUNNING
                        + " OR (state = " + PENDING + " AND (run_at <= NOW(3) OR attempts > 0)"
                        + " AND queue NOT IN (SELECT name FROM sf_queue WHERE paused = 1)))"
                        + " AND queue IN (" + Sql.placeholders(queues.size()) + ") AND type IN ("
                        + Sql.placeholders(types.size()) + ")",
                rs -> rs.getLong("n"),
                queues,
                types);
    }

    /** Whether a claim under this token committed (a running job holds it): the check after a commit was cut off. */
    public boolean claimCommitted(Connection c, long token) throws SQLException {
        return Sql.exists(c, "SELECT 1 FROM sf_job WHERE state = " + RUNNING + " AND lease_token = ? LIMIT 1", token);
    }
}
