package dev.steadfast.queue.internal.store;

import dev.steadfast.queue.RateLimit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The start permits of rate-limited queues ({@code sf_rate_permit}): one row per job a queue may start per period,
 * free again one period after the start that used it.
 */
final class RatePermits {
    private RatePermits() {}

    /** Permits a claim holds (locked until it commits, by id) and, when it found fewer than it asked for, the wait for the next. */
    record Held(List<Long> ids, long periodMs, Duration waitUntilNext) {}

    /**
     * Locks up to {@code wanted} free permits of a rate-limited queue, skipping those another claim holds. The free
     * ones are found by a plain read of the index by free time, then locked by id: a locking scan of that index
     * would lock its gaps, into which every used permit's new free time goes, and two claims would deadlock.
     */
    static Held free(Connection tx, String queue, int wanted) throws SQLException {
        List<Long> candidates = new ArrayList<>(2 * wanted);
        Duration wait = null;
        // the earliest first, twice as many as wanted so that two workers reading the same ones both find some; the
        // first not yet free says when the next one will be
        try (PreparedStatement s = tx.prepareStatement("SELECT r.id, r.free_at <= NOW(3) AS free,"
                + " TIMESTAMPDIFF(MICROSECOND, NOW(3), r.free_at) AS wait_us FROM sf_rate_permit r"
                + " WHERE r.queue = ? AND r.slot < (SELECT q.rate_limit FROM sf_queue q WHERE q.name = r.queue)"
                + " ORDER BY r.free_at LIMIT ?")) {
            Sql.bind(s, 1, queue, 2 * wanted);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    if (!rs.getBoolean("free")) {
                        wait = Duration.ofNanos(rs.getLong("wait_us") * 1000);
                        break;
                    }
                    candidates.add(rs.getLong("id"));
                }
            }
        }
        if (candidates.isEmpty()) {
            return new Held(List.of(), 0, wait);
        }
        List<Long> ids = new ArrayList<>(wanted);
        long periodMs = 0;
        try (PreparedStatement s = tx.prepareStatement("SELECT r.id,"
                + " (SELECT q.rate_period_ms FROM sf_queue q WHERE q.name = r.queue AND q.rate_limit IS NOT NULL) AS period_ms"
                + " FROM sf_rate_permit r WHERE r.id IN (" + Sql.placeholders(candidates.size())
                + ") AND r.free_at <= NOW(3)"
                + " ORDER BY r.id LIMIT ? FOR UPDATE SKIP LOCKED")) {
            Sql.bind(s, 1, candidates, wanted);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    periodMs = rs.getLong("period_ms");
                    if (rs.wasNull()) {
                        return new Held(List.of(), 0, null); // the limit is being removed
                    }
                    ids.add(rs.getLong("id"));
                }
            }
        }
        return new Held(ids, periodMs, wait);
    }

    /** Marks as many held permits of each queue as jobs started from it free again one period from now. */
    static void use(Connection tx, Map<String, Held> permits, List<ClaimedJob> started) throws SQLException {
        if (permits.isEmpty()) {
            return;
        }
        Map<String, Integer> starts = new HashMap<>();
        for (ClaimedJob job : started) {
            starts.merge(job.queue(), 1, Integer::sum);
        }
        for (Map.Entry<String, Held> held : permits.entrySet()) {
            int used = starts.getOrDefault(held.getKey(), 0);
            if (used == 0) {
                continue;
            }
            Sql.update(
                    tx,
                    "UPDATE sf_rate_permit SET free_at = TIMESTAMPADD(MICROSECOND, ?, NOW(3))" + " WHERE id IN ("
                            + Sql.placeholders(used) + ")",
                    held.getValue().periodMs() * 1000,
                    held.getValue().ids().subList(0, used));
        }
    }

    /**
     * Renews a queue's permits for a new limit. Every start the old permits remember stays counted, one new period
     * from it: the latest of them take the permits the new limit has (slots below it), older ones wait out their
     * period in slots above it that no claim uses, and free permits make up the rest.
     */
    static void replace(Connection tx, String queue, RateLimit was, RateLimit limit) throws SQLException {
        List<Long> busyForUs = new ArrayList<>(); // per remembered start, latest first: how long its permit stays taken
        if (was != null && limit != null) {
            long shiftUs = (limit.per().toMillis() - was.per().toMillis()) * 1000;
            try (PreparedStatement s =
                    tx.prepareStatement("SELECT TIMESTAMPDIFF(MICROSECOND, NOW(3), free_at) + ? AS busy_us"
                            + " FROM sf_rate_permit WHERE queue = ? ORDER BY free_at DESC FOR UPDATE")) {
                Sql.bind(s, 1, shiftUs, queue);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next() && rs.getLong("busy_us") > 0) {
                        busyForUs.add(rs.getLong("busy_us"));
                    }
                }
            }
        }
        Sql.update(tx, "DELETE FROM sf_rate_permit WHERE queue = ?", queue);
        if (limit == null) {
            return;
        }
        int permits = Math.max(limit.jobs(), busyForUs.size());
        int chunk = 1000;
        for (int from = 0; from < permits; from += chunk) {
            int rows = Math.min(chunk, permits - from);
            StringBuilder sql = new StringBuilder("INSERT INTO sf_rate_permit (queue, slot, free_at) VALUES ");
            List<Object> params = new ArrayList<>(3 * rows);
            for (int r = 0; r < rows; r++) {
                sql.append(r == 0 ? "" : ", ").append("(?, ?, TIMESTAMPADD(MICROSECOND, ?, NOW(3)))");
                int slot = from + r;
                params.add(queue);
                params.add(slot);
                params.add(slot < busyForUs.size() ? busyForUs.get(slot) : 0L);
            }
            Sql.update(tx, sql.toString(), params);
        }
    }
}
