package dev.steadfast.queue.internal.store;

import static dev.steadfast.queue.internal.store.States.CANCELLED;
import static dev.steadfast.queue.internal.store.States.FAILED;
import static dev.steadfast.queue.internal.store.States.PENDING;
import static dev.steadfast.queue.internal.store.States.RUNNING;
import static dev.steadfast.queue.internal.store.States.SUCCEEDED;
import static dev.steadfast.queue.internal.store.States.WAITING;

import dev.steadfast.queue.QueueCounts;
import dev.steadfast.queue.QueueFacts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Counting jobs without scanning them: the census of the queues (counts per state, the oldest due job's wait), the
 * census one process stores for the others ({@code sf_queue_census}), due jobs by queue and type, a health check's
 * facts. A census costs index seeks per queue, state and priority, never a scan of what it counts: each count reads
 * at most {@link QueueCounts#EXACT_UP_TO} + 1 index entries, and a larger one is estimated from index dives
 * ({@link CountEstimate}).
 */
public final class Census {
    private static final long CAP = QueueCounts.EXACT_UP_TO;
    private static final int MAX_PRIORITIES = 50;
    private static final String[] STATE_NAMES = {"pending", "running", "succeeded", "failed", "cancelled", "waiting"};
    // a census row: one count per stored state (STATE_NAMES), then the scheduled count and the oldest due job's wait
    private static final int SCHEDULED = STATE_NAMES.length;
    private static final int OLDEST_DUE_MS = SCHEDULED + 1;
    // est_flags of sf_queue_census: bit i set when the count named CENSUS_FLAGS[i] is an estimate
    private static final String[] CENSUS_FLAGS = {
        "pending", "scheduled", "running", "succeeded", "failed", "cancelled", "waiting"
    };
    /** How many of the next pending jobs {@link #facts} looks at for the largest payload. */
    private static final int NEXT_PAYLOADS = 100;

    /** One queue's counts (exact, or estimated where exactness would need a scan) and how long its oldest due job has waited. */
    public record QueueCensus(String queue, QueueCounts counts, double oldestDueSeconds) {}

    /** Due pending jobs of one queue and type: when the oldest of them was due. */
    public record DueGroup(String queue, String type, Instant oldestRunAt) {}

    Census() {}

    private static String bounded(String where) {
        return "(SELECT COUNT(*) FROM (SELECT 1 FROM sf_job WHERE " + where + " LIMIT " + (CAP + 1) + ") b)";
    }

    /** Every queue with jobs, by name: its counts per state and how long its oldest due job has waited. */
    public List<QueueCensus> census(Connection c) throws SQLException {
        // a loose index scan of sf_job_live_unique: one seek per queue
        List<String> queues = Sql.list(c, "SELECT queue FROM sf_job GROUP BY queue", rs -> rs.getString("queue"));
        List<long[]> counts = new ArrayList<>(); // per queue: see SCHEDULED and OLDEST_DUE_MS
        List<List<Integer>> overflowingPriorities = new ArrayList<>();
        long countedExact = 0;
        boolean anyLarge = false;
        for (String queue : queues) {
            long[] n = new long[OLDEST_DUE_MS + 1];
            Integer priority;
            try (PreparedStatement s = c.prepareStatement("SELECT " + bounded("state = " + PENDING + " AND queue = ?")
                    + " AS pending, "
                    + bounded("state = " + RUNNING + " AND queue = ?") + " AS running, "
                    + bounded("state = " + SUCCEEDED + " AND queue = ?") + " AS succeeded, "
                    + bounded("state = " + FAILED + " AND queue = ?") + " AS failed, "
                    + bounded("state = " + CANCELLED + " AND queue = ?") + " AS cancelled, "
                    + bounded("state = " + WAITING + " AND queue = ?") + " AS waiting,"
                    + " (SELECT MAX(priority) FROM sf_job WHERE state = " + PENDING + " AND queue = ?) AS top")) {
                Sql.bind(s, 1, Collections.nCopies(7, queue));
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    for (int i = 0; i < STATE_NAMES.length; i++) {
                        n[i] = rs.getLong(STATE_NAMES[i]);
                    }
                    priority = (Integer) rs.getObject("top", Integer.class);
                }
            }
            // pending jobs by priority (the claim index's order): the oldest due one and those not due yet
            List<Integer> large = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT"
                    + " (SELECT GREATEST(0, TIMESTAMPDIFF(MICROSECOND, run_at, NOW(3))) DIV 1000 FROM sf_job WHERE state = "
                    + PENDING
                    + "   AND queue = ? AND priority = ? ORDER BY run_at LIMIT 1) AS waited_ms, "
                    + bounded("state = " + PENDING + " AND queue = ? AND priority = ? AND run_at > NOW(3)")
                    + " AS scheduled,"
                    + " (SELECT priority FROM sf_job WHERE state = " + PENDING + " AND queue = ? AND priority < ?"
                    + "   ORDER BY priority DESC LIMIT 1) AS next")) {
                for (int walked = 0; priority != null && walked < MAX_PRIORITIES; walked++) {
                    Sql.bind(s, 1, queue, priority, queue, priority, queue, priority);
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        n[OLDEST_DUE_MS] = Math.max(n[OLDEST_DUE_MS], rs.getLong("waited_ms"));
                        long scheduled = rs.getLong("scheduled");
                        if (scheduled > CAP) {
                            large.add(priority);
                        } else {
                            n[SCHEDULED] += scheduled;
                        }
                        priority = (Integer) rs.getObject("next", Integer.class);
                    }
                }
            }
            for (int i = 0; i < STATE_NAMES.length; i++) {
                if (n[i] > CAP) {
                    anyLarge = true;
                } else {
                    countedExact += n[i];
                }
            }
            anyLarge |= !large.isEmpty();
            counts.add(n);
            overflowingPriorities.add(large);
        }
        if (anyLarge) {
            estimateLarge(c, queues, counts, overflowingPriorities, countedExact);
        }
        List<QueueCensus> census = new ArrayList<>(queues.size());
        for (int q = 0; q < queues.size(); q++) {
            long[] n = counts.get(q);
            Set<String> estimated = new TreeSet<>();
            boolean pendingLarge = n[0] > CAP;
            boolean scheduledLarge = !overflowingPriorities.get(q).isEmpty();
            if (pendingLarge || scheduledLarge) {
                estimated.add("pending");
            }
            if (scheduledLarge) {
                estimated.add("scheduled");
            }
            for (int i = 1; i < STATE_NAMES.length; i++) {
                if (n[i] > CAP) {
                    estimated.add(STATE_NAMES[i]);
                }
            }
            long scheduled = Math.min(n[SCHEDULED], n[0]);
            census.add(new QueueCensus(
                    queues.get(q),
                    new QueueCounts(n[0] - scheduled, scheduled, n[1], n[2], n[3], n[4], estimated, n[5]),
                    n[OLDEST_DUE_MS] / 1000.0));
        }
        return census;
    }

    /** Replaces the stored census with this one (in the transaction of the process holding the census role). */
    public void saveCensus(Connection tx, List<QueueCensus> census) throws SQLException {
        Sql.update(tx, "DELETE FROM sf_queue_census");
        if (census.isEmpty()) {
            return;
        }
        Sql.batch(
                tx,
                "INSERT INTO sf_queue_census (queue, pending, scheduled, running, succeeded,"
                        + " failed, cancelled, est_flags, oldest_due_ms, waiting, taken_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NOW(3))",
                census,
                (s, q) -> {
                    QueueCounts n = q.counts();
                    int flags = 0;
                    for (int i = 0; i < CENSUS_FLAGS.length; i++) {
                        flags |= n.isEstimate(CENSUS_FLAGS[i]) ? 1 << i : 0;
                    }
                    Sql.bind(
                            s,
                            1,
                            q.queue(),
                            n.pending(),
                            n.scheduled(),
                            n.running(),
                            n.succeeded(),
                            n.failed(),
                            n.cancelled(),
                            flags,
                            Math.round(q.oldestDueSeconds() * 1000),
                            n.waiting());
                });
    }

    /** The stored census if taken within {@code maxAge}; empty otherwise. */
    public List<QueueCensus> savedCensus(Connection c, Duration maxAge) throws SQLException {
        return Sql.list(
                c,
                "SELECT queue, pending, scheduled, running, succeeded, failed, cancelled, waiting,"
                        + " est_flags, oldest_due_ms FROM sf_queue_census WHERE taken_at > TIMESTAMPADD(MICROSECOND, ?, NOW(3)) ORDER BY queue",
                rs -> {
                    Set<String> estimated = new TreeSet<>();
                    int flags = rs.getInt("est_flags");
                    for (int i = 0; i < CENSUS_FLAGS.length; i++) {
                        if ((flags & (1 << i)) != 0) {
                            estimated.add(CENSUS_FLAGS[i]);
                        }
                    }
                    return new QueueCensus(
                            rs.getString("queue"),
                            new QueueCounts(
                                    rs.getLong("pending"),
                                    rs.getLong("scheduled"),
                                    rs.getLong("running"),
                                    rs.getLong("succeeded"),
                                    rs.getLong("failed"),
                                    rs.getLong("cancelled"),
                                    estimated,
                                    rs.getLong("waiting")),
                            rs.getLong("oldest_due_ms") / 1000.0);
                },
                -Sql.micros(maxAge));
    }

    /**
     * Due pending jobs grouped by queue and type, at most {@code limit} groups: one index seek per group (a loose scan
     * of {@code sf_job_type}), however many jobs wait.
     */
    public List<DueGroup> dueGroups(Connection c, int limit) throws SQLException {
        // GROUP BY a leading prefix of sf_job_type with MIN of its last column: a loose index scan (EXPLAIN: "Using
        // index for group-by"), two seeks per queue and type instead of one read per waiting job
        return Sql.list(
                c,
                "SELECT queue, type, MIN(run_at) AS oldest FROM sf_job" + " WHERE state = " + PENDING
                        + " AND run_at <= NOW(3) GROUP BY queue, type ORDER BY queue, type LIMIT ?",
                rs -> new DueGroup(rs.getString("queue"), rs.getString("type"), Sql.instant(rs.getTimestamp("oldest"))),
                limit);
    }

    /** Due pending jobs of one queue and type, counted up to {@code cap}. */
    public long countDue(Connection c, String queue, String type, long cap) throws SQLException {
        return Sql.one(
                c,
                "SELECT COUNT(*) AS n FROM (SELECT 1 FROM sf_job WHERE queue = ? AND type = ?" + " AND state = "
                        + PENDING + " AND run_at <= NOW(3) LIMIT ?) b",
                rs -> rs.getLong("n"),
                queue,
                type,
                cap);
    }

    /** What a health check looks at (largest pending payload, backlog, expired leases, failed jobs); empty without tables. */
    public Optional<QueueFacts> facts(Connection c) throws SQLException {
        int tables = Sql.one(
                c,
                "SELECT COUNT(*) AS n FROM information_schema.tables"
                        + " WHERE table_schema = DATABASE() AND table_name IN ('sf_job', 'sf_failed_job')",
                rs -> rs.getInt("n"));
        if (tables != 2) {
            return Optional.empty();
        }
        long due = 0;
        long oldest = 0;
        long failed = 0;
        for (QueueCensus q : census(c)) {
            due += q.counts().pending();
            oldest = Math.max(oldest, Math.round(q.oldestDueSeconds()));
            failed += q.counts().failed();
        }
        long dueJobs = due;
        long oldestSeconds = oldest;
        long failedJobs = failed;
        // the payloads about to run, not all of them: reading every pending payload would be a scan of the backlog
        return Optional.of(Sql.one(
                c,
                "SELECT"
                        + " (SELECT COALESCE(MAX(LENGTH(payload)), 0) FROM (SELECT payload FROM sf_job WHERE state = "
                        + PENDING
                        + "   ORDER BY run_at LIMIT " + NEXT_PAYLOADS + ") p) AS largest,"
                        + " (SELECT COUNT(*) FROM sf_job WHERE state = " + RUNNING
                        + " AND lease_expires_at < NOW(3)) AS expired",
                rs -> new QueueFacts(
                        rs.getLong("largest"), dueJobs, oldestSeconds, rs.getLong("expired"), failedJobs)));
    }

    /** Replaces the counts that hit the bound with estimates (see {@link CountEstimate}). */
    private static void estimateLarge(
            Connection c,
            List<String> queues,
            List<long[]> counts,
            List<List<Integer>> overflowingPriorities,
            long countedExact)
            throws SQLException {
        long[][] dives = new long[queues.size()][STATE_NAMES.length];
        long[] scheduledDives = new long[queues.size()];
        long divesTotal = 0;
        // "priority >= MIN_INT" turns the lookup into a range, for which the optimizer dives into the index
        try (PreparedStatement s = c.prepareStatement("EXPLAIN SELECT 1 FROM sf_job WHERE state = ? AND queue = ?"
                        + " AND priority >= " + Integer.MIN_VALUE);
                PreparedStatement future = c.prepareStatement("EXPLAIN SELECT 1 FROM sf_job WHERE state = " + PENDING
                        + " AND queue = ? AND priority = ? AND run_at > NOW(3)")) {
            for (int q = 0; q < queues.size(); q++) {
                for (int i = 0; i < STATE_NAMES.length; i++) {
                    if (counts.get(q)[i] > CAP) {
                        Sql.bind(s, 1, STATE_NAMES[i], queues.get(q));
                        dives[q][i] = explainedRows(s);
                        divesTotal += dives[q][i];
                    }
                }
                for (int priority : overflowingPriorities.get(q)) {
                    Sql.bind(future, 1, queues.get(q), priority);
                    scheduledDives[q] += explainedRows(future);
                }
            }
        }
        long tableRows = Sql.one(c, "EXPLAIN SELECT 1 FROM sf_job", rs -> rs.getLong("rows"));
        CountEstimate estimate = new CountEstimate(tableRows, countedExact, divesTotal, CAP + 1);
        for (int q = 0; q < queues.size(); q++) {
            long[] n = counts.get(q);
            for (int i = 0; i < STATE_NAMES.length; i++) {
                if (n[i] > CAP) {
                    n[i] = estimate.of(dives[q][i]);
                }
            }
            if (scheduledDives[q] > 0) {
                n[SCHEDULED] += estimate.of(scheduledDives[q]);
            }
        }
    }

    /** The rows the optimizer expects the explained statement to read (times its filter estimate, where it gives one). */
    private static long explainedRows(PreparedStatement explain) throws SQLException {
        try (ResultSet rs = explain.executeQuery()) {
            if (!rs.next()) {
                return 0;
            }
            double rows = rs.getDouble("rows");
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                if ("filtered".equalsIgnoreCase(rs.getMetaData().getColumnLabel(i))) {
                    rows = rows * rs.getDouble(i) / 100.0;
                }
            }
            return Math.round(rows);
        }
    }
}
