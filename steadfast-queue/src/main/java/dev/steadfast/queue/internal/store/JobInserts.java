package dev.steadfast.queue.internal.store;

import static dev.steadfast.queue.internal.store.States.PENDING;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * New jobs into {@code sf_job} (with the concurrency limits of their keys): one, or many to a statement, and whether
 * rows an interrupted enqueue wrote exist.
 */
public final class JobInserts {
    // a unique key that matches a live job counts the match: 2 affected rows instead of 1 tell the caller
    private static final String INSERT = "INSERT INTO sf_job (queue, type, payload, priority, state, max_attempts,"
            + " run_at, unique_key, timeout_ms, concurrency_key) VALUES (?, ?, ?, ?, " + PENDING + ", ?,"
            + " COALESCE(?, TIMESTAMPADD(MICROSECOND, ?, NOW(3))), ?, ?, ?)"
            + " ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id), enqueue_matches = enqueue_matches + 1";
    // rows without a unique key, many to a statement
    private static final String INSERT_ROWS =
            "INSERT INTO sf_job (queue, type, payload, priority, state, max_attempts, run_at,"
                    + " timeout_ms, concurrency_key) VALUES ";
    // run_at as each row needs it: the common row, due now, evaluates no expression with parameters (measured: a
    // statement of 1,000 such rows is some 15% faster than with a COALESCE per row); then the timeout, NULL or bound
    private static final String INSERT_ROW_DUE = "(?, ?, ?, ?, " + PENDING + ", ?, NOW(3)";
    private static final String INSERT_ROW_DELAYED =
            "(?, ?, ?, ?, " + PENDING + ", ?, TIMESTAMPADD(MICROSECOND, ?, NOW(3))";
    private static final String INSERT_ROW_AT = "(?, ?, ?, ?, " + PENDING + ", ?, ?";

    // one statement carries at most this many rows and about this many characters of payload (max_allowed_packet
    // is 16 MB by default on MariaDB; 1000 rows of 8 values stay far below the 65,535 placeholders of a statement)
    static final int ROWS_PER_INSERT = 1000;
    static final long PAYLOAD_CHARS_PER_INSERT = 1L << 20;

    /** What a single insert came to: the job's id, and whether a live job already held its unique key. */
    public record Inserted(long id, boolean matchedExisting) {}

    // INSERT ... RETURNING (MariaDB 10.5 on) answers the ids of a multi-row insert; elsewhere a batch of single-row
    // inserts, whose ids the drivers report one by one (MySQL hands a multi-row INSERT consecutive ids only in some
    // auto-increment lock modes)
    private final boolean returning;

    JobInserts(boolean insertReturning) {
        this.returning = insertReturning;
    }

    /** Inserts one job, or counts the match when a live job holds its unique key. */
    public Inserted insertOne(Connection c, NewJob job) throws SQLException {
        ConcurrencySlots.declare(c, List.of(job));
        try (PreparedStatement s = c.prepareStatement(INSERT, Statement.RETURN_GENERATED_KEYS)) {
            bindNewJob(s, job);
            // 1: a new row; 2: the live job holding the unique key was counted (ON DUPLICATE KEY UPDATE changed it)
            int affected = s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("the insert of a '" + job.type() + "' job returned no id");
                }
                return new Inserted(keys.getLong(1), affected > 1); // generated keys have no portable label
            }
        }
    }

    /**
     * Inserts the jobs in the caller's transaction; returns their ids in order (for a unique key held by a live job,
     * that job's id).
     */
    public List<Long> insert(Connection c, List<NewJob> jobs) throws SQLException {
        return insert(c, jobs, null);
    }

    /**
     * Inserts the jobs as members of a batch (none when {@code batchId} is null) in the caller's transaction; returns
     * their ids in order. Members have no unique key (a key matching a live job would answer a job of no batch).
     */
    public List<Long> insert(Connection c, List<NewJob> jobs, Long batchId) throws SQLException {
        if (batchId != null && jobs.stream().anyMatch(j -> j.uniqueKey() != null)) {
            throw new IllegalArgumentException("a batch's member cannot have a unique key");
        }
        if (jobs.size() > 1) {
            ConcurrencySlots.declare(c, jobs); // a single job declares its own in insertOne
        }
        if (!returning || jobs.size() == 1) {
            return insertBatch(c, jobs, batchId);
        }
        List<Long> ids = new ArrayList<>(jobs.size());
        for (int from = 0, to; from < jobs.size(); from = to) {
            // runs keep the caller's order, so ids grow in it: rows without a unique key go many to a statement,
            // rows with one need ON DUPLICATE KEY UPDATE to answer the live job's id and go as a JDBC batch
            boolean keyed = jobs.get(from).uniqueKey() != null;
            to = keyed ? endOfKeyedRun(jobs, from) : endOfMultiRowRun(jobs, from);
            ids.addAll(
                    keyed
                            ? insertBatch(c, jobs.subList(from, to), null)
                            : insertRows(c, jobs.subList(from, to), batchId));
        }
        return ids;
    }

    /** Whether every one of these jobs exists (an enqueue cut off at its commit: did it commit?); false for none. */
    public boolean allExist(Connection c, List<Long> ids) throws SQLException {
        List<Long> distinct = ids.stream().distinct().toList();
        if (distinct.isEmpty()) {
            return false;
        }
        for (int from = 0; from < distinct.size(); from += ROWS_PER_INSERT) { // as many ids as a bulk inserted at once
            List<Long> part = distinct.subList(from, Math.min(distinct.size(), from + ROWS_PER_INSERT));
            long found = Sql.first(
                            c,
                            "SELECT COUNT(*) AS n FROM sf_job WHERE id IN (" + Sql.placeholders(part.size()) + ")",
                            rs -> rs.getLong("n"),
                            part)
                    .orElse(-1L);
            if (found != part.size()) {
                return false;
            }
        }
        return true;
    }

    private static int endOfMultiRowRun(List<NewJob> jobs, int from) {
        int to = from;
        long chars = 0;
        while (to < jobs.size() && jobs.get(to).uniqueKey() == null && to - from < ROWS_PER_INSERT) {
            chars += jobs.get(to).payloadJson().length();
            if (chars > PAYLOAD_CHARS_PER_INSERT && to > from) {
                break;
            }
            to++;
        }
        return to;
    }

    private static int endOfKeyedRun(List<NewJob> jobs, int from) {
        int to = from;
        while (to < jobs.size() && jobs.get(to).uniqueKey() != null) {
            to++;
        }
        return to;
    }

    /** Rows without unique keys in one multi-row INSERT; MariaDB answers their ids in order ({@code RETURNING}). */
    private static List<Long> insertRows(Connection c, List<NewJob> jobs, Long batchId) throws SQLException {
        StringBuilder sql = new StringBuilder(INSERT_ROWS.length() + jobs.size() * (INSERT_ROW_DELAYED.length() + 29));
        // a batch's id is a number written into the statement: the same for every row, no parameter to bind
        String end = batchId == null ? ")" : ", " + batchId + ")";
        sql.append(batchId == null ? INSERT_ROWS : INSERT_ROWS.replace(") VALUES ", ", batch_id) VALUES "));
        for (int i = 0; i < jobs.size(); i++) {
            NewJob job = jobs.get(i);
            sql.append(i == 0 ? "" : ",")
                    .append(
                            job.runAt() != null
                                    ? INSERT_ROW_AT
                                    : job.delay().isZero() ? INSERT_ROW_DUE : INSERT_ROW_DELAYED)
                    .append(job.timeout() == null ? ", NULL" : ", ?")
                    .append(job.concurrencyKey() == null ? ", NULL" : ", ?")
                    .append(end);
        }
        sql.append(" RETURNING id");
        try (PreparedStatement s = c.prepareStatement(sql.toString())) {
            int p = 0;
            for (NewJob job : jobs) {
                p = bindRow(s, p, job);
            }
            // execute, not executeQuery: MySQL Connector/J refuses executeQuery for a statement starting with INSERT
            if (!s.execute()) {
                throw new SQLException("the insert of " + jobs.size() + " jobs returned no ids");
            }
            try (ResultSet rs = s.getResultSet()) {
                return ids(rs, jobs.size());
            }
        }
    }

    /** Rows as one JDBC batch of single-row INSERTs (a statement per row on the wire); one row alone as itself. */
    private List<Long> insertBatch(Connection c, List<NewJob> jobs, Long batchId) throws SQLException {
        if (jobs.size() == 1 && batchId == null) {
            return List.of(insertOne(c, jobs.get(0)).id());
        }
        if (jobs.size() == 1) {
            ConcurrencySlots.declare(c, jobs);
        }
        String sql = batchId == null
                ? INSERT
                : INSERT.replace("concurrency_key) VALUES", "concurrency_key, batch_id) VALUES")
                        .replace("?, ?, ?) ON DUPLICATE", "?, ?, ?, " + batchId + ") ON DUPLICATE");
        try (PreparedStatement s = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            for (NewJob job : jobs) {
                bindNewJob(s, job);
                s.addBatch();
            }
            s.executeBatch();
            try (ResultSet keys = s.getGeneratedKeys()) {
                return ids(keys, jobs.size());
            }
        }
    }

    /** The ids an insert answered (first column: generated keys have no portable label), exactly one per row. */
    private static List<Long> ids(ResultSet rs, int rows) throws SQLException {
        List<Long> ids = new ArrayList<>(rows);
        while (rs.next()) {
            ids.add(rs.getLong(1));
        }
        if (ids.size() != rows) {
            throw new SQLException("expected " + rows + " job ids from the insert, got " + ids.size());
        }
        return ids;
    }

    private static void bindNewJob(PreparedStatement s, NewJob job) throws SQLException {
        Sql.bind(
                s,
                1,
                job.queue(),
                job.type(),
                job.payloadJson(),
                job.priority(),
                job.maxAttempts(),
                Sql.nullAs(job.runAt() == null ? null : Timestamp.from(job.runAt()), Types.TIMESTAMP),
                Sql.micros(job.delay()),
                Sql.nullAs(job.uniqueKey(), Types.VARCHAR),
                Sql.nullAs(job.timeout() == null ? null : job.timeout().toMillis(), Types.BIGINT));
        s.setString(10, job.concurrencyKey());
    }

    /** Binds a row of a multi-row insert after the first {@code offset} parameters; returns the offset after it. */
    private static int bindRow(PreparedStatement s, int offset, NewJob job) throws SQLException {
        int p = offset;
        s.setString(++p, job.queue());
        s.setString(++p, job.type());
        s.setString(++p, job.payloadJson());
        s.setInt(++p, job.priority());
        s.setInt(++p, job.maxAttempts());
        if (job.runAt() != null) {
            s.setTimestamp(++p, Timestamp.from(job.runAt()));
        } else if (!job.delay().isZero()) {
            s.setLong(++p, Sql.micros(job.delay()));
        }
        if (job.timeout() != null) {
            s.setLong(++p, job.timeout().toMillis());
        }
        if (job.concurrencyKey() != null) {
            s.setString(++p, job.concurrencyKey());
        }
        return p;
    }
}
