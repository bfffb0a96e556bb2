package dev.steadfast.queue.internal.store;

import dev.steadfast.jdbc.ConnectionHealth;
import dev.steadfast.queue.FailedJob;
import dev.steadfast.queue.JobFilter;
import dev.steadfast.queue.JobState;
import dev.steadfast.queue.JobView;
import dev.steadfast.queue.MissingPrivilegeException;
import dev.steadfast.queue.QueueCounts;
import dev.steadfast.queue.QueueFacts;
import dev.steadfast.queue.RateLimit;
import dev.steadfast.queue.WorkerView;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link JobRepository} over JDBC: all SQL of the queue, readable in one place. Times are the database's
 * ({@code NOW(3)}), never a worker's, so hosts with skewed clocks agree on leases. Rows are read by
 * column label.
 */
public final class JdbcJobRepository implements JobRepository {
    // INSERT ... RETURNING (MariaDB 10.5 on) answers the ids of a multi-row insert; elsewhere a batch of single-row
    // inserts, whose ids the drivers report one by one (MySQL hands a multi-row INSERT consecutive ids only in some
    // auto-increment lock modes)
    private final boolean returning;

    /** A repository that inserts many jobs to a statement where {@code insertReturning} says the server can. */
    public JdbcJobRepository(boolean insertReturning) {
        this.returning = insertReturning;
    }

    /** A repository for reads and updates; its inserts go one row to a statement. */
    public JdbcJobRepository() {
        this(false);
    }

    // the stored states; "scheduled" is a pending job whose time has not come, shown, never stored
    private static final String PENDING = literal(JobState.PENDING);
    private static final String RUNNING = literal(JobState.RUNNING);
    private static final String SUCCEEDED = literal(JobState.SUCCEEDED);
    private static final String FAILED = literal(JobState.FAILED);
    private static final String CANCELLED = literal(JobState.CANCELLED);

    private static final String SHOWN_STATE = "CASE WHEN j.state = " + PENDING + " AND j.run_at > NOW(3) THEN 'scheduled'"
            + " ELSE j.state END AS shown_state";
    // lists never read payloads (a page of 12 MB payloads ran a dashboard out of heap) and only the head of errors
    private static final String LIST_COLUMNS = "j.id, j.queue, j.type, NULL AS payload, j.priority, " + SHOWN_STATE + ","
            + " j.attempts, j.max_attempts, j.run_at, j.created_at, j.updated_at, j.finished_at, j.unique_key, j.lease_owner,"
            + " LEFT(j.last_error, 500) AS last_error, NULL AS attempt_log";
    private static final String DETAIL_COLUMNS = "j.id, j.queue, j.type, LEFT(j.payload, ?) AS payload, j.priority, " + SHOWN_STATE + ","
            + " j.attempts, j.max_attempts, j.run_at, j.created_at, j.updated_at, j.finished_at, j.unique_key, j.lease_owner,"
            + " LEFT(j.last_error, ?) AS last_error, j.attempt_log";
    // a failed job is a row of sf_job in state 'failed'; sf_failed_job adds the details of its last error
    private static final String FAILED_FROM = " FROM sf_job j LEFT JOIN sf_failed_job f ON f.job_id = j.id";
    private static final String FAILED_SUMMARY_COLUMNS = "j.id, j.queue, j.type, NULL AS payload, j.attempts,"
            + " COALESCE(f.error_class, 'unknown') AS error_class, LEFT(COALESCE(f.message, j.last_error), 1000) AS message,"
            + " NULL AS stack_trace, f.worker, COALESCE(f.failed_at, j.finished_at, j.updated_at) AS failed_at";
    private static final String FAILED_DETAIL_COLUMNS = "j.id, j.queue, j.type, LEFT(j.payload, ?) AS payload, j.attempts,"
            + " COALESCE(f.error_class, 'unknown') AS error_class, LEFT(COALESCE(f.message, j.last_error), ?) AS message,"
            + " LEFT(f.stack_trace, ?) AS stack_trace, f.worker, COALESCE(f.failed_at, j.finished_at, j.updated_at) AS failed_at";

    // a unique key that matches a live job counts the match: 2 affected rows instead of 1 tell the caller
    private static final String INSERT = "INSERT INTO sf_job (queue, type, payload, priority, state, max_attempts,"
            + " run_at, unique_key, timeout_ms, concurrency_key) VALUES (?, ?, ?, ?, " + PENDING + ", ?,"
            + " COALESCE(?, TIMESTAMPADD(MICROSECOND, ?, NOW(3))), ?, ?, ?)"
            + " ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id), enqueue_matches = enqueue_matches + 1";
    // rows without a unique key, many to a statement
    private static final String INSERT_ROWS = "INSERT INTO sf_job (queue, type, payload, priority, state, max_attempts, run_at,"
            + " timeout_ms, concurrency_key) VALUES ";
    // run_at as each row needs it: the common row, due now, evaluates no expression with parameters (measured: a
    // statement of 1,000 such rows is some 15% faster than with a COALESCE per row); then the timeout, NULL or bound
    private static final String INSERT_ROW_DUE = "(?, ?, ?, ?, " + PENDING + ", ?, NOW(3)";
    private static final String INSERT_ROW_DELAYED = "(?, ?, ?, ?, " + PENDING + ", ?, TIMESTAMPADD(MICROSECOND, ?, NOW(3))";
    private static final String INSERT_ROW_AT = "(?, ?, ?, ?, " + PENDING + ", ?, ?";
    private static final String BACK_TO_PENDING = "state = " + PENDING + ", attempts = 0, run_at = NOW(3),"
            + " lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL, finished_at = NULL, updated_at = NOW(3)";

    // ------------------------------------------------------------------ enqueue

    @Override
    public Inserted insertOne(Connection c, NewJob job) throws SQLException {
        declareLimits(c, List.of(job));
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

    @Override
    public boolean anyDue(Connection c, Collection<String> queues, Collection<String> types) throws SQLException {
        // the claim's own filter without its locks, so "yes" means a claim would find something
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM sf_job WHERE state = " + PENDING + " AND queue IN ("
                + placeholders(queues.size()) + ") AND run_at <= NOW(3) AND type IN (" + placeholders(types.size()) + ")"
                + " AND queue NOT IN (SELECT name FROM sf_queue WHERE paused = 1 OR (rate_limit IS NOT NULL AND NOT EXISTS"
                + " (SELECT 1 FROM sf_rate_permit r WHERE r.queue = sf_queue.name AND r.free_at <= NOW(3)"
                + " AND r.slot < sf_queue.rate_limit)))" + NOT_AT_LIMIT
                + " LIMIT 1")) {
            bindStrings(s, 1, queues, types);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Override
    public boolean allExist(Connection c, List<Long> ids) throws SQLException {
        List<Long> distinct = ids.stream().distinct().toList();
        if (distinct.isEmpty()) {
            return false;
        }
        for (int from = 0; from < distinct.size(); from += ROWS_PER_INSERT) { // as many ids as a bulk inserted at once
            List<Long> part = distinct.subList(from, Math.min(distinct.size(), from + ROWS_PER_INSERT));
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) AS n FROM sf_job WHERE id IN (" + placeholders(part.size()) + ")")) {
                bindIds(s, part);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next() || rs.getLong("n") != part.size()) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    @Override
    public List<Long> insert(Connection c, List<NewJob> jobs) throws SQLException {
        if (jobs.size() > 1) {
            declareLimits(c, jobs); // a single job declares its own in insertOne
        }
        if (!returning || jobs.size() == 1) {
            return insertBatch(c, jobs);
        }
        List<Long> ids = new ArrayList<>(jobs.size());
        for (int from = 0, to; from < jobs.size(); from = to) {
            // runs keep the caller's order, so ids grow in it: rows without a unique key go many to a statement,
            // rows with one need ON DUPLICATE KEY UPDATE to answer the live job's id and go as a JDBC batch
            boolean keyed = jobs.get(from).uniqueKey() != null;
            to = keyed ? endOfKeyedRun(jobs, from) : endOfMultiRowRun(jobs, from);
            ids.addAll(keyed ? insertBatch(c, jobs.subList(from, to)) : insertRows(c, jobs.subList(from, to)));
        }
        return ids;
    }

    // one statement carries at most this many rows and about this many characters of payload (max_allowed_packet
    // is 16 MB by default on MariaDB; 1000 rows of 8 values stay far below the 65,535 placeholders of a statement)
    static final int ROWS_PER_INSERT = 1000;
    static final long PAYLOAD_CHARS_PER_INSERT = 1L << 20;

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
    private static List<Long> insertRows(Connection c, List<NewJob> jobs) throws SQLException {
        StringBuilder sql = new StringBuilder(INSERT_ROWS.length() + jobs.size() * (INSERT_ROW_DELAYED.length() + 9));
        sql.append(INSERT_ROWS);
        for (int i = 0; i < jobs.size(); i++) {
            NewJob job = jobs.get(i);
            sql.append(i == 0 ? "" : ",").append(job.runAt() != null ? INSERT_ROW_AT : job.delay().isZero() ? INSERT_ROW_DUE : INSERT_ROW_DELAYED)
                    .append(job.timeout() == null ? ", NULL" : ", ?").append(job.concurrencyKey() == null ? ", NULL)" : ", ?)");
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
    private List<Long> insertBatch(Connection c, List<NewJob> jobs) throws SQLException {
        if (jobs.size() == 1) {
            return List.of(insertOne(c, jobs.get(0)).id());
        }
        try (PreparedStatement s = c.prepareStatement(INSERT, Statement.RETURN_GENERATED_KEYS)) {
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
        s.setString(1, job.queue());
        s.setString(2, job.type());
        s.setString(3, job.payloadJson());
        s.setInt(4, job.priority());
        s.setInt(5, job.maxAttempts());
        if (job.runAt() != null) {
            s.setTimestamp(6, Timestamp.from(job.runAt()));
        } else {
            s.setNull(6, Types.TIMESTAMP);
        }
        s.setLong(7, micros(job.delay()));
        if (job.uniqueKey() == null) {
            s.setNull(8, Types.VARCHAR);
        } else {
            s.setString(8, job.uniqueKey());
        }
        if (job.timeout() == null) {
            s.setNull(9, Types.BIGINT);
        } else {
            s.setLong(9, job.timeout().toMillis());
        }
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
            s.setLong(++p, micros(job.delay()));
        }
        if (job.timeout() != null) {
            s.setLong(++p, job.timeout().toMillis());
        }
        if (job.concurrencyKey() != null) {
            s.setString(++p, job.concurrencyKey());
        }
        return p;
    }

    // ------------------------------------------------------------------ queue control

    @Override
    public boolean setPaused(Connection tx, String queue, boolean paused) throws SQLException {
        boolean was = lockSetting(tx, queue).map(QueueSetting::paused).orElse(false);
        if (was == paused) {
            return false;
        }
        try (PreparedStatement s = tx.prepareStatement("INSERT INTO sf_queue (name, paused, paused_at, updated_at)"
                + " VALUES (?, ?, IF(?, NOW(3), NULL), NOW(3)) ON DUPLICATE KEY UPDATE paused = VALUES(paused),"
                + " paused_at = VALUES(paused_at), updated_at = NOW(3)")) {
            s.setString(1, queue);
            s.setBoolean(2, paused);
            s.setBoolean(3, paused);
            s.executeUpdate();
        }
        return true;
    }

    /** A queue's settings row, locked until the transaction ends (so that two changes of it follow each other), if any. */
    private static Optional<QueueSetting> lockSetting(Connection tx, String queue) throws SQLException {
        try (PreparedStatement s = tx.prepareStatement("SELECT " + SETTING_COLUMNS + " FROM sf_queue WHERE name = ? FOR UPDATE")) {
            s.setString(1, queue);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(setting(rs)) : Optional.empty();
            }
        }
    }

    private static final String SETTING_COLUMNS = "name, paused, paused_at, rate_limit, rate_period_ms";

    private static QueueSetting setting(ResultSet rs) throws SQLException {
        Timestamp at = rs.getTimestamp("paused_at");
        return new QueueSetting(rs.getString("name"), rs.getBoolean("paused"), at == null ? null : at.toInstant(), rateLimit(rs));
    }

    @Override
    public List<QueueSetting> queueSettings(Connection c) throws SQLException {
        List<QueueSetting> settings = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + SETTING_COLUMNS + " FROM sf_queue ORDER BY name")) {
            while (rs.next()) {
                settings.add(setting(rs));
            }
        }
        return settings;
    }

    @Override
    public boolean knownQueue(Connection c, String queue) throws SQLException {
        // settings, the census, or a job in any stored state (one seek of the claim index per state)
        StringBuilder sql = new StringBuilder("SELECT EXISTS (SELECT 1 FROM sf_queue WHERE name = ?)"
                + " OR EXISTS (SELECT 1 FROM sf_queue_census WHERE queue = ?)");
        for (JobState state : JobState.values()) {
            sql.append(" OR EXISTS (SELECT 1 FROM sf_job WHERE state = ").append(literal(state)).append(" AND queue = ?)");
        }
        try (PreparedStatement s = c.prepareStatement(sql + " AS known")) {
            for (int i = 1; i <= 2 + JobState.values().length; i++) {
                s.setString(i, queue);
            }
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean("known");
            }
        }
    }

    // ------------------------------------------------------------------ schedules

    private static final String SCHEDULE_COLUMNS = "name, cron, zone, every_ms, type, payload, queue, priority, max_attempts,"
            + " timeout_ms, missed, paused, next_run_at, last_run_at, last_job_id";

    @Override
    public Instant now(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT NOW(3) AS now")) {
            rs.next();
            return rs.getTimestamp("now").toInstant();
        }
    }

    @Override
    public void saveSchedule(Connection tx, StoredSchedule schedule, Instant firstRun) throws SQLException {
        // assignments run left to right: next_run_at compares the cadence before it is overwritten
        try (PreparedStatement s = tx.prepareStatement("INSERT INTO sf_schedule (" + SCHEDULE_COLUMNS + ", updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, NULL, NULL, NOW(3)) ON DUPLICATE KEY UPDATE"
                + " next_run_at = IF(cron <=> VALUES(cron) AND zone <=> VALUES(zone) AND every_ms <=> VALUES(every_ms),"
                + " next_run_at, VALUES(next_run_at)), cron = VALUES(cron), zone = VALUES(zone), every_ms = VALUES(every_ms),"
                + " type = VALUES(type), payload = VALUES(payload), queue = VALUES(queue), priority = VALUES(priority),"
                + " max_attempts = VALUES(max_attempts), timeout_ms = VALUES(timeout_ms), missed = VALUES(missed),"
                + " updated_at = NOW(3)")) {
            NewJob job = schedule.job();
            s.setString(1, schedule.name());
            s.setString(2, schedule.cron());
            s.setString(3, schedule.zone());
            if (schedule.everyMs() == null) {
                s.setNull(4, Types.BIGINT);
            } else {
                s.setLong(4, schedule.everyMs());
            }
            s.setString(5, job.type());
            s.setString(6, job.payloadJson());
            s.setString(7, job.queue());
            s.setInt(8, job.priority());
            s.setInt(9, job.maxAttempts());
            if (job.timeout() == null) {
                s.setNull(10, Types.BIGINT);
            } else {
                s.setLong(10, job.timeout().toMillis());
            }
            s.setString(11, schedule.missed());
            s.setTimestamp(12, Timestamp.from(firstRun));
            s.executeUpdate();
        }
    }

    @Override
    public boolean removeSchedule(Connection tx, String name) throws SQLException {
        try (PreparedStatement s = tx.prepareStatement("DELETE FROM sf_schedule WHERE name = ?")) {
            s.setString(1, name);
            return s.executeUpdate() == 1;
        }
    }

    @Override
    public List<StoredSchedule> schedules(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + SCHEDULE_COLUMNS + " FROM sf_schedule ORDER BY name")) {
            return storedSchedules(s);
        }
    }

    @Override
    public List<StoredSchedule> lockDueSchedules(Connection tx, int limit) throws SQLException {
        try (PreparedStatement s = tx.prepareStatement("SELECT " + SCHEDULE_COLUMNS + " FROM sf_schedule"
                + " WHERE next_run_at <= NOW(3) AND paused = 0 ORDER BY next_run_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
            s.setInt(1, limit);
            return storedSchedules(s);
        }
    }

    private static List<StoredSchedule> storedSchedules(PreparedStatement s) throws SQLException {
        List<StoredSchedule> schedules = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                long every = rs.getLong("every_ms");
                Long everyMs = rs.wasNull() ? null : every;
                long timeout = rs.getLong("timeout_ms");
                Duration timeoutLimit = rs.wasNull() ? null : Duration.ofMillis(timeout);
                long lastJob = rs.getLong("last_job_id");
                Long lastJobId = rs.wasNull() ? null : lastJob;
                NewJob job = new NewJob(rs.getString("queue"), rs.getString("type"), rs.getString("payload"), rs.getInt("priority"),
                        Duration.ZERO, null, rs.getInt("max_attempts"), null, timeoutLimit);
                schedules.add(new StoredSchedule(rs.getString("name"), rs.getString("cron"), rs.getString("zone"), everyMs, job,
                        rs.getString("missed"), rs.getBoolean("paused"), instant(rs.getTimestamp("next_run_at")),
                        instant(rs.getTimestamp("last_run_at")), lastJobId));
            }
        }
        return schedules;
    }

    @Override
    public void advanceSchedule(Connection tx, String name, Instant next, Instant lastRun, Long lastJobId) throws SQLException {
        try (PreparedStatement s = tx.prepareStatement("UPDATE sf_schedule SET next_run_at = ?,"
                + " last_run_at = COALESCE(?, last_run_at), last_job_id = COALESCE(?, last_job_id) WHERE name = ?")) {
            s.setTimestamp(1, Timestamp.from(next));
            s.setTimestamp(2, lastRun == null ? null : Timestamp.from(lastRun));
            if (lastJobId == null) {
                s.setNull(3, Types.BIGINT);
            } else {
                s.setLong(3, lastJobId);
            }
            s.setString(4, name);
            s.executeUpdate();
        }
    }

    @Override
    public boolean pauseSchedule(Connection tx, String name, boolean paused, Instant next) throws SQLException {
        try (PreparedStatement s = tx.prepareStatement("UPDATE sf_schedule SET paused = ?, next_run_at = COALESCE(?, next_run_at),"
                + " updated_at = NOW(3) WHERE name = ? AND paused <> ?")) {
            s.setBoolean(1, paused);
            s.setTimestamp(2, next == null ? null : Timestamp.from(next));
            s.setString(3, name);
            s.setBoolean(4, paused);
            return s.executeUpdate() == 1;
        }
    }

    @Override
    public boolean scheduleAt(Connection c, String name, Instant next) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM sf_schedule WHERE name = ? AND next_run_at = ?")) {
            s.setString(1, name);
            s.setTimestamp(2, Timestamp.from(next));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Override
    public Long untilNextTick(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT TIMESTAMPDIFF(MICROSECOND, NOW(3), MIN(next_run_at)) DIV 1000 AS ms FROM sf_schedule"
                     + " WHERE paused = 0")) {
            rs.next();
            long ms = rs.getLong("ms");
            return rs.wasNull() ? null : ms;
        }
    }

    // ------------------------------------------------------------------ cancellation

    @Override
    public Map<Long, JobState> cancel(Connection tx, Collection<Long> ids) throws SQLException {
        Map<Long, JobState> before = new HashMap<>();
        if (ids.isEmpty()) {
            return before;
        }
        try (PreparedStatement s = tx.prepareStatement("SELECT id, state FROM sf_job WHERE id IN (" + placeholders(ids.size())
                + ") FOR UPDATE")) {
            bindIds(s, List.copyOf(ids));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    before.put(rs.getLong("id"), JobState.valueOf(rs.getString("state").toUpperCase(java.util.Locale.ROOT)));
                }
            }
        }
        if (before.values().stream().anyMatch(state -> state == JobState.PENDING || state == JobState.RUNNING)) {
            // assignments run left to right: the request and finish time read the state before it changes
            try (PreparedStatement s = tx.prepareStatement("UPDATE sf_job SET"
                    + " cancel_requested_at = IF(state = " + RUNNING + ", NOW(3), cancel_requested_at),"
                    + " finished_at = IF(state = " + PENDING + ", NOW(3), finished_at), updated_at = NOW(3),"
                    + " state = IF(state = " + PENDING + ", " + CANCELLED + ", state)"
                    + " WHERE id IN (" + placeholders(ids.size()) + ") AND state IN (" + PENDING + ", " + RUNNING + ")")) {
                bindIds(s, List.copyOf(ids));
                s.executeUpdate();
            }
        }
        return before;
    }

    @Override
    public Set<Long> cancelRequested(Connection c, Collection<ClaimedJob> jobs) throws SQLException {
        Set<Long> requested = new java.util.HashSet<>();
        if (jobs.isEmpty()) {
            return requested;
        }
        try (PreparedStatement s = c.prepareStatement("SELECT id, lease_token FROM sf_job WHERE id IN ("
                + placeholders(jobs.size()) + ") AND cancel_requested_at IS NOT NULL AND state = " + RUNNING)) {
            bindIds(s, jobs.stream().map(ClaimedJob::id).toList());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong("id");
                    long token = rs.getLong("lease_token");
                    if (jobs.stream().anyMatch(job -> job.id() == id && job.leaseToken() == token)) {
                        requested.add(id);
                    }
                }
            }
        }
        return requested;
    }

    @Override
    public boolean markCancelled(Connection c, ClaimedJob job) throws SQLException {
        return finish(c, job, "cancelled", CANCELLED);
    }

    // ------------------------------------------------------------------ concurrency limits

    // a job whose key has no free slot is left out of claims and idle polls, so waiting jobs cause no polling (a plain
    // read of a small table inside the claim, as for paused queues)
    private static final String NOT_AT_LIMIT = " AND (concurrency_key IS NULL OR concurrency_key NOT IN"
            + " (SELECT k.concurrency_key FROM sf_concurrency k WHERE k.running >= k.max_running))";

    /** Makes sure each key of these new jobs has its limit (the last enqueue's), in the enqueue's transaction. */
    private static void declareLimits(Connection tx, List<NewJob> jobs) throws SQLException {
        Map<String, Integer> limits = new java.util.LinkedHashMap<>();
        for (NewJob job : jobs) {
            if (job.concurrencyKey() != null) {
                limits.put(job.concurrencyKey(), job.concurrencyLimit());
            }
        }
        if (limits.isEmpty()) {
            return;
        }
        try (PreparedStatement s = tx.prepareStatement("INSERT INTO sf_concurrency (concurrency_key, max_running) VALUES (?, ?)"
                + " ON DUPLICATE KEY UPDATE max_running = VALUES(max_running), updated_at = NOW(3)")) {
            for (Map.Entry<String, Integer> limit : limits.entrySet()) {
                s.setString(1, limit.getKey());
                s.setInt(2, limit.getValue());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /**
     * The claimed candidates that may run: each keyed one takes a slot of its key, under the key row's lock, or stays
     * pending (its row lock goes with the claim's commit). Jobs without a key cost nothing here.
     */
    private static List<ClaimedJob> takeSlots(Connection tx, List<ClaimedJob> candidates) throws SQLException {
        if (candidates.stream().allMatch(job -> job.concurrencyKey() == null)) {
            return candidates;
        }
        List<ClaimedJob> taken = new ArrayList<>(candidates.size());
        java.util.Set<String> full = new java.util.HashSet<>(); // a key found full stays full until this claim commits
        try (PreparedStatement s = tx.prepareStatement("UPDATE sf_concurrency SET running = running + 1"
                + " WHERE concurrency_key = ? AND running < max_running")) {
            for (ClaimedJob job : candidates) {
                if (job.concurrencyKey() == null) {
                    taken.add(job);
                    continue;
                }
                if (full.contains(job.concurrencyKey())) {
                    continue;
                }
                s.setString(1, job.concurrencyKey());
                if (s.executeUpdate() == 1) {
                    taken.add(job);
                } else {
                    full.add(job.concurrencyKey());
                }
            }
        }
        return taken;
    }

    /** Gives back the slot of a keyed job that stopped running, in the transaction that records why. */
    private static void freeSlot(Connection tx, String concurrencyKey) throws SQLException {
        if (concurrencyKey == null) {
            return;
        }
        try (PreparedStatement s = tx.prepareStatement("UPDATE sf_concurrency SET running = running - 1"
                + " WHERE concurrency_key = ? AND running > 0")) {
            s.setString(1, concurrencyKey);
            s.executeUpdate();
        }
    }

    // ------------------------------------------------------------------ output of commands

    @Override
    public boolean recordOutput(Connection tx, long jobId, dev.steadfast.queue.JobOutput output) throws SQLException {
        // the job's row must exist (the foreign key says so too); a replayed record writes the same row again
        try (PreparedStatement s = tx.prepareStatement("INSERT INTO sf_job_output (job_id, attempt, exit_status, stdout, stderr,"
                + " stdout_bytes, stderr_bytes) SELECT id, ?, ?, ?, ?, ?, ? FROM sf_job WHERE id = ?"
                + " ON DUPLICATE KEY UPDATE exit_status = VALUES(exit_status), stdout = VALUES(stdout), stderr = VALUES(stderr),"
                + " stdout_bytes = VALUES(stdout_bytes), stderr_bytes = VALUES(stderr_bytes), recorded_at = NOW(3)")) {
            s.setInt(1, output.attempt());
            if (output.exitStatus() == null) {
                s.setNull(2, Types.INTEGER);
            } else {
                s.setInt(2, output.exitStatus());
            }
            s.setString(3, output.stdout());
            s.setString(4, output.stderr());
            s.setLong(5, output.stdoutBytes());
            s.setLong(6, output.stderrBytes());
            s.setLong(7, jobId);
            return s.executeUpdate() > 0;
        }
    }

    @Override
    public List<dev.steadfast.queue.JobOutput> outputs(Connection c, long jobId) throws SQLException {
        List<dev.steadfast.queue.JobOutput> outputs = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT attempt, exit_status, stdout, stderr, stdout_bytes, stderr_bytes,"
                + " recorded_at FROM sf_job_output WHERE job_id = ? ORDER BY attempt")) {
            s.setLong(1, jobId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    int status = rs.getInt("exit_status");
                    Integer exitStatus = rs.wasNull() ? null : status;
                    outputs.add(new dev.steadfast.queue.JobOutput(rs.getInt("attempt"), exitStatus, rs.getString("stdout"),
                            rs.getString("stderr"), rs.getLong("stdout_bytes"), rs.getLong("stderr_bytes"),
                            rs.getTimestamp("recorded_at").toInstant()));
                }
            }
        }
        return outputs;
    }

    // ------------------------------------------------------------------ rate limits

    /** Permits a claim holds (locked until it commits, by id) and, when it found fewer than it asked for, the wait for the next. */
    private record Permits(List<Long> ids, long periodMs, Duration waitUntilNext) {
    }

    /**
     * Locks up to {@code wanted} free permits of a rate-limited queue, skipping those another claim holds. The free
     * ones are found by a plain read of the index by free time, then locked by id: a locking scan of that index
     * would lock its gaps, into which every used permit's new free time goes, and two claims would deadlock.
     */
    private static Permits freePermits(Connection tx, String queue, int wanted) throws SQLException {
        List<Long> candidates = new ArrayList<>(2 * wanted);
        Duration wait = null;
        // the earliest first, twice as many as wanted so that two workers reading the same ones both find some; the
        // first not yet free says when the next one will be
        try (PreparedStatement s = tx.prepareStatement("SELECT r.id, r.free_at <= NOW(3) AS free,"
                + " TIMESTAMPDIFF(MICROSECOND, NOW(3), r.free_at) AS wait_us FROM sf_rate_permit r"
                + " WHERE r.queue = ? AND r.slot < (SELECT q.rate_limit FROM sf_queue q WHERE q.name = r.queue)"
                + " ORDER BY r.free_at LIMIT ?")) {
            s.setString(1, queue);
            s.setInt(2, 2 * wanted);
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
            return new Permits(List.of(), 0, wait);
        }
        List<Long> ids = new ArrayList<>(wanted);
        long periodMs = 0;
        try (PreparedStatement s = tx.prepareStatement("SELECT r.id,"
                + " (SELECT q.rate_period_ms FROM sf_queue q WHERE q.name = r.queue AND q.rate_limit IS NOT NULL) AS period_ms"
                + " FROM sf_rate_permit r WHERE r.id IN (" + placeholders(candidates.size()) + ") AND r.free_at <= NOW(3)"
                + " ORDER BY r.id LIMIT ? FOR UPDATE SKIP LOCKED")) {
            bindIds(s, candidates);
            s.setInt(candidates.size() + 1, wanted);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    periodMs = rs.getLong("period_ms");
                    if (rs.wasNull()) {
                        return new Permits(List.of(), 0, null); // the limit is being removed
                    }
                    ids.add(rs.getLong("id"));
                }
            }
        }
        return new Permits(ids, periodMs, wait);
    }

    /** Marks as many held permits of each queue as jobs started from it free again one period from now. */
    private static void usePermits(Connection tx, Map<String, Permits> permits, List<ClaimedJob> started) throws SQLException {
        if (permits.isEmpty()) {
            return;
        }
        Map<String, Integer> starts = new HashMap<>();
        for (ClaimedJob job : started) {
            starts.merge(job.queue(), 1, Integer::sum);
        }
        for (Map.Entry<String, Permits> held : permits.entrySet()) {
            int used = starts.getOrDefault(held.getKey(), 0);
            if (used == 0) {
                continue;
            }
            List<Long> ids = held.getValue().ids().subList(0, used);
            try (PreparedStatement s = tx.prepareStatement("UPDATE sf_rate_permit SET free_at = TIMESTAMPADD(MICROSECOND, ?, NOW(3))"
                    + " WHERE id IN (" + placeholders(used) + ")")) {
                s.setLong(1, held.getValue().periodMs() * 1000);
                int i = 2;
                for (long id : ids) {
                    s.setLong(i++, id);
                }
                s.executeUpdate();
            }
        }
    }

    @Override
    public boolean setRateLimit(Connection tx, String queue, RateLimit limit) throws SQLException {
        RateLimit was = lockSetting(tx, queue).map(QueueSetting::rateLimit).orElse(null);
        if (java.util.Objects.equals(was, limit)) {
            return false;
        }
        try (PreparedStatement s = tx.prepareStatement("INSERT INTO sf_queue (name, rate_limit, rate_period_ms, updated_at)"
                + " VALUES (?, ?, ?, NOW(3)) ON DUPLICATE KEY UPDATE rate_limit = VALUES(rate_limit),"
                + " rate_period_ms = VALUES(rate_period_ms), updated_at = NOW(3)")) {
            s.setString(1, queue);
            if (limit == null) {
                s.setNull(2, Types.INTEGER);
                s.setNull(3, Types.BIGINT);
            } else {
                s.setInt(2, limit.jobs());
                s.setLong(3, limit.per().toMillis());
            }
            s.executeUpdate();
        }
        replacePermits(tx, queue, was, limit);
        return true;
    }

    /**
     * Renews a queue's permits for a new limit. Every start the old permits remember stays counted, one new period
     * from it: the latest of them take the permits the new limit has (slots below it), older ones wait out their
     * period in slots above it that no claim uses, and free permits make up the rest.
     */
    private static void replacePermits(Connection tx, String queue, RateLimit was, RateLimit limit) throws SQLException {
        List<Long> busyForUs = new ArrayList<>(); // per remembered start, latest first: how long its permit stays taken
        if (was != null && limit != null) {
            long shiftUs = (limit.per().toMillis() - was.per().toMillis()) * 1000;
            try (PreparedStatement s = tx.prepareStatement("SELECT TIMESTAMPDIFF(MICROSECOND, NOW(3), free_at) + ? AS busy_us"
                    + " FROM sf_rate_permit WHERE queue = ? ORDER BY free_at DESC FOR UPDATE")) {
                s.setLong(1, shiftUs);
                s.setString(2, queue);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next() && rs.getLong("busy_us") > 0) {
                        busyForUs.add(rs.getLong("busy_us"));
                    }
                }
            }
        }
        try (PreparedStatement s = tx.prepareStatement("DELETE FROM sf_rate_permit WHERE queue = ?")) {
            s.setString(1, queue);
            s.executeUpdate();
        }
        if (limit == null) {
            return;
        }
        int permits = Math.max(limit.jobs(), busyForUs.size());
        int chunk = 1000;
        for (int from = 0; from < permits; from += chunk) {
            int rows = Math.min(chunk, permits - from);
            StringBuilder sql = new StringBuilder("INSERT INTO sf_rate_permit (queue, slot, free_at) VALUES ");
            for (int r = 0; r < rows; r++) {
                sql.append(r == 0 ? "" : ", ").append("(?, ?, TIMESTAMPADD(MICROSECOND, ?, NOW(3)))");
            }
            try (PreparedStatement s = tx.prepareStatement(sql.toString())) {
                int i = 1;
                for (int r = 0; r < rows; r++) {
                    int slot = from + r;
                    s.setString(i++, queue);
                    s.setInt(i++, slot);
                    s.setLong(i++, slot < busyForUs.size() ? busyForUs.get(slot) : 0);
                }
                s.executeUpdate();
            }
        }
    }

    private static RateLimit rateLimit(ResultSet rs) throws SQLException {
        int jobs = rs.getInt("rate_limit");
        if (rs.wasNull()) {
            return null;
        }
        return new RateLimit(jobs, Duration.ofMillis(rs.getLong("rate_period_ms")));
    }

    @Override
    public Set<String> rateLimitedQueues(Connection c) throws SQLException {
        Set<String> limited = new java.util.HashSet<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM sf_queue WHERE rate_limit IS NOT NULL")) {
            while (rs.next()) {
                limited.add(rs.getString("name"));
            }
        }
        return limited;
    }

    // ------------------------------------------------------------------ claims and outcomes

    @Override
    public Claim claim(Connection tx, List<String> queues, Collection<String> types, int limit, String owner, long token,
                       Duration lease, Set<String> rateLimited) throws SQLException {
        List<ClaimedJob> jobs = new ArrayList<>(limit);
        Map<String, Permits> permits = new HashMap<>();
        Duration nextPermitIn = null;
        // queues in the order given: one SELECT per queue, the next only while the batch is not full. A paused queue
        // gives nothing, nor does a rate-limited one unless claimed under its permits: the subquery is a plain
        // (non-locking) read even inside the locking SELECT, so a pause waits for no claim and no claim for a pause
        try (PreparedStatement s = tx.prepareStatement("SELECT id, queue, type, payload, attempts, max_attempts, timeout_ms,"
                + " concurrency_key FROM sf_job"
                + " WHERE state = " + PENDING + " AND queue = ? AND run_at <= NOW(3) AND type IN (" + placeholders(types.size()) + ")"
                + " AND NOT EXISTS (SELECT 1 FROM sf_queue p WHERE p.name = ? AND (p.paused = 1 OR (p.rate_limit IS NOT NULL AND ? = 0)))"
                + NOT_AT_LIMIT + " ORDER BY priority DESC, run_at, id LIMIT ? FOR UPDATE SKIP LOCKED")) {
            for (String queue : queues) {
                int wanted = limit - jobs.size();
                if (wanted <= 0) {
                    break;
                }
                boolean limited = rateLimited.contains(queue);
                if (limited) {
                    Permits free = freePermits(tx, queue, wanted);
                    if (free.waitUntilNext() != null && (nextPermitIn == null || free.waitUntilNext().compareTo(nextPermitIn) < 0)) {
                        nextPermitIn = free.waitUntilNext();
                    }
                    if (free.ids().isEmpty()) {
                        continue;
                    }
                    permits.put(queue, free);
                    wanted = free.ids().size();
                }
                int i = 1;
                s.setString(i++, queue);
                for (String type : types) {
                    s.setString(i++, type);
                }
                s.setString(i++, queue);
                s.setBoolean(i++, limited);
                s.setInt(i, wanted);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        long timeoutMs = rs.getLong("timeout_ms");
                        Duration timeout = rs.wasNull() ? null : Duration.ofMillis(timeoutMs);
                        jobs.add(new ClaimedJob(rs.getLong("id"), rs.getString("queue"), rs.getString("type"),
                                rs.getString("payload"), rs.getInt("attempts") + 1, rs.getInt("max_attempts"), token, timeout,
                                rs.getString("concurrency_key")));
                    }
                }
            }
        }
        jobs = takeSlots(tx, jobs);
        if (jobs.isEmpty()) {
            return new Claim(jobs, nextPermitIn);
        }
        try (PreparedStatement s = tx.prepareStatement("UPDATE sf_job SET state = " + RUNNING + ", attempts = attempts + 1,"
                + " attempt_started_at = NOW(3), lease_owner = ?, lease_token = ?, lease_expires_at = TIMESTAMPADD(MICROSECOND, ?, NOW(3)),"
                + " updated_at = NOW(3) WHERE id IN (" + placeholders(jobs.size()) + ")")) {
            s.setString(1, owner);
            s.setLong(2, token);
            s.setLong(3, micros(lease));
            int i = 4;
            for (ClaimedJob job : jobs) {
                s.setLong(i++, job.id());
            }
            s.executeUpdate();
        }
        usePermits(tx, permits, jobs); // after the starts, so a permit frees no earlier than one period after its start
        return new Claim(jobs, nextPermitIn);
    }

    @Override
    public long unfinished(Connection c, Collection<String> queues, Collection<String> types) throws SQLException {
        // a job delayed to later, never tried, is not work left now; a retry waiting out its backoff is; nor is a job
        // waiting in a paused queue
        try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) AS n FROM sf_job WHERE (state = " + RUNNING
                + " OR (state = " + PENDING + " AND (run_at <= NOW(3) OR attempts > 0)"
                + " AND queue NOT IN (SELECT name FROM sf_queue WHERE paused = 1)))"
                + " AND queue IN (" + placeholders(queues.size()) + ") AND type IN (" + placeholders(types.size()) + ")")) {
            bindStrings(s, 1, queues, types);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong("n");
            }
        }
    }

    @Override
    public boolean claimCommitted(Connection c, long token) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM sf_job WHERE state = " + RUNNING + " AND lease_token = ? LIMIT 1")) {
            s.setLong(1, token);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Override
    public boolean markSucceeded(Connection c, ClaimedJob job) throws SQLException {
        return finish(c, job, "succeeded", SUCCEEDED);
    }

    /** Ends a running job this worker holds in a final state without an error; gives its slot back. */
    private static boolean finish(Connection c, ClaimedJob job, String outcome, String state) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE sf_job SET " + logAttempt(outcome, false) + ", state = " + state
                + ", finished_at = NOW(3), updated_at = NOW(3), lease_expires_at = NULL WHERE id = ? AND lease_token = ? AND state = "
                + RUNNING)) {
            s.setLong(1, job.id());
            s.setLong(2, job.leaseToken());
            if (s.executeUpdate() != 1) {
                return false;
            }
        }
        freeSlot(c, job.concurrencyKey());
        return true;
    }

    @Override
    public int markAllSucceeded(Connection c, List<ClaimedJob> all) throws SQLException {
        // a keyed job gives its slot back only if its own row changed: those go one by one
        int marked = 0;
        List<ClaimedJob> jobs = new ArrayList<>(all.size());
        for (ClaimedJob job : all) {
            if (job.concurrencyKey() == null) {
                jobs.add(job);
            } else if (markSucceeded(c, job)) {
                marked++;
            }
        }
        if (jobs.isEmpty()) {
            return marked;
        }
        String pairs = String.join(",", Collections.nCopies(jobs.size(), "(?, ?)"));
        try (PreparedStatement s = c.prepareStatement("UPDATE sf_job SET " + logAttempt("succeeded", false) + ", state = " + SUCCEEDED
                + ", finished_at = NOW(3), updated_at = NOW(3), lease_expires_at = NULL WHERE state = " + RUNNING
                + " AND (id, lease_token) IN (" + pairs + ")")) {
            int i = 1;
            for (ClaimedJob job : jobs) {
                s.setLong(i++, job.id());
                s.setLong(i++, job.leaseToken());
            }
            return marked + s.executeUpdate();
        }
    }

    @Override
    public boolean scheduleRetry(Connection c, ClaimedJob job, Duration delay, JobFailure failure) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE sf_job SET " + logAttempt("retried", true) + ", state = " + PENDING
                + ", run_at = TIMESTAMPADD(MICROSECOND, ?, NOW(3)), last_error = ?, lease_owner = NULL,"
                + " lease_expires_at = NULL, updated_at = NOW(3) WHERE id = ? AND lease_token = ? AND state = " + RUNNING)) {
            s.setString(1, failure.summary());
            s.setLong(2, micros(delay));
            s.setString(3, failure.summary());
            s.setLong(4, job.id());
            s.setLong(5, job.leaseToken());
            if (s.executeUpdate() != 1) {
                return false;
            }
        }
        freeSlot(c, job.concurrencyKey());
        return true;
    }

    @Override
    public boolean markFailed(Connection tx, ClaimedJob job, JobFailure failure, String worker) throws SQLException {
        try (PreparedStatement s = tx.prepareStatement("UPDATE sf_job SET " + logAttempt("failed", true) + ", state = " + FAILED
                + ", finished_at = NOW(3), last_error = ?, lease_expires_at = NULL, updated_at = NOW(3)"
                + " WHERE id = ? AND lease_token = ? AND state = " + RUNNING)) {
            s.setString(1, failure.summary());
            s.setString(2, failure.summary());
            s.setLong(3, job.id());
            s.setLong(4, job.leaseToken());
            if (s.executeUpdate() != 1) {
                return false;
            }
        }
        freeSlot(tx, job.concurrencyKey());
        recordFailure(tx, job.id(), failure, worker);
        return true;
    }

    private static void recordFailure(Connection tx, long jobId, JobFailure failure, String worker) throws SQLException {
        try (PreparedStatement s = tx.prepareStatement("INSERT INTO sf_failed_job (job_id, queue, type, payload, attempts,"
                + " error_class, message, stack_trace, worker) SELECT id, queue, type, NULL, attempts, ?, ?, ?, ?"
                + " FROM sf_job WHERE id = ? ON DUPLICATE KEY UPDATE attempts = VALUES(attempts),"
                + " error_class = VALUES(error_class), message = VALUES(message), stack_trace = VALUES(stack_trace),"
                + " worker = VALUES(worker), failed_at = NOW(3)")) {
            s.setString(1, failure.errorClass());
            s.setString(2, failure.message());
            s.setString(3, failure.stackTrace());
            s.setString(4, worker);
            s.setLong(5, jobId);
            s.executeUpdate();
        }
    }

    @Override
    public boolean outcomeCommitted(Connection c, ClaimedJob job) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT 1 FROM sf_job WHERE id = ? AND lease_token = ? AND state <> " + RUNNING)) {
            s.setLong(1, job.id());
            s.setLong(2, job.leaseToken());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Override
    public int release(Connection c, Collection<ClaimedJob> jobs) throws SQLException {
        int released = 0;
        try (PreparedStatement s = c.prepareStatement("UPDATE sf_job SET state = " + PENDING + ", attempts = GREATEST(attempts - 1, 0),"
                + " lease_owner = NULL, lease_expires_at = NULL, updated_at = NOW(3)"
                + " WHERE id = ? AND lease_token = ? AND state = " + RUNNING)) {
            for (ClaimedJob job : jobs) {
                s.setLong(1, job.id());
                s.setLong(2, job.leaseToken());
                if (s.executeUpdate() == 1) {
                    released++;
                    freeSlot(c, job.concurrencyKey());
                }
            }
        }
        return released;
    }

    // ------------------------------------------------------------------ leases and maintenance

    @Override
    public int extendLeases(Connection c, Collection<ClaimedJob> jobs, Duration lease) throws SQLException {
        int extended = 0;
        try (PreparedStatement s = c.prepareStatement("UPDATE sf_job SET lease_expires_at = TIMESTAMPADD(MICROSECOND, ?, NOW(3))"
                + " WHERE id = ? AND lease_token = ? AND state = " + RUNNING)) {
            for (ClaimedJob job : jobs) {
                s.setLong(1, micros(lease));
                s.setLong(2, job.id());
                s.setLong(3, job.leaseToken());
                extended += s.executeUpdate();
            }
        }
        return extended;
    }

    @Override
    public List<ExpiredLease> lockExpiredLeases(Connection tx, int limit) throws SQLException {
        List<ExpiredLease> expired = new ArrayList<>();
        try (PreparedStatement s = tx.prepareStatement("SELECT id, attempts, max_attempts, concurrency_key FROM sf_job"
                + " WHERE state = " + RUNNING + " AND lease_expires_at < NOW(3) LIMIT ? FOR UPDATE SKIP LOCKED")) {
            s.setInt(1, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    expired.add(new ExpiredLease(rs.getLong("id"), rs.getInt("attempts"), rs.getInt("max_attempts"),
                            rs.getString("concurrency_key")));
                }
            }
        }
        return expired;
    }

    @Override
    public void requeueExpired(Connection tx, ExpiredLease lease, JobFailure reason) throws SQLException {
        long jobId = lease.jobId();
        freeSlot(tx, lease.concurrencyKey()); // the row is locked by lockExpiredLeases: it changes below
        try (PreparedStatement s = tx.prepareStatement("UPDATE sf_job SET " + logAttempt("lease expired", true) + ", state = " + PENDING
                + ", last_error = ?, lease_token = NULL, lease_owner = NULL, lease_expires_at = NULL, updated_at = NOW(3) WHERE id = ?")) {
            s.setString(1, reason.summary());
            s.setString(2, reason.summary());
            s.setLong(3, jobId);
            s.executeUpdate();
        }
    }

    @Override
    public void failExpired(Connection tx, ExpiredLease lease, JobFailure reason) throws SQLException {
        long jobId = lease.jobId();
        freeSlot(tx, lease.concurrencyKey()); // the row is locked by lockExpiredLeases: it changes below
        try (PreparedStatement s = tx.prepareStatement("UPDATE sf_job SET " + logAttempt("lease expired", true) + ", state = " + FAILED
                + ", finished_at = NOW(3), last_error = ?, lease_token = NULL, lease_owner = NULL, lease_expires_at = NULL,"
                + " updated_at = NOW(3) WHERE id = ?")) {
            s.setString(1, reason.summary());
            s.setString(2, reason.summary());
            s.setLong(3, jobId);
            s.executeUpdate();
        }
        recordFailure(tx, jobId, reason, null);
    }

    @Override
    public int purgeSucceeded(Connection c, Duration retention, int limit) throws SQLException {
        return purge(c, SUCCEEDED, retention, limit);
    }

    @Override
    public int purgeCancelled(Connection c, Duration retention, int limit) throws SQLException {
        return purge(c, CANCELLED, retention, limit);
    }

    @Override
    public int purgeFailed(Connection c, Duration retention, int limit) throws SQLException {
        return purge(c, FAILED, retention, limit);
    }

    @Override
    public long failedBeyond(Connection c, long keep) throws SQLException {
        // an index-only walk of sf_job_state (state, id) past the kept ones: no sort, no row read
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM sf_job FORCE INDEX (sf_job_state) WHERE state = " + FAILED
                + " ORDER BY id DESC LIMIT 1 OFFSET ?")) {
            s.setLong(1, keep);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    @Override
    public int purgeFailedUpTo(Connection c, long lastId, int limit) throws SQLException {
        List<Long> ids = new ArrayList<>(limit);
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM sf_job FORCE INDEX (sf_job_state) WHERE state = " + FAILED
                + " AND id <= ? ORDER BY id LIMIT ?")) {
            s.setLong(1, lastId);
            s.setInt(2, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return deleteFinished(c, FAILED, ids);
    }

    private int purge(Connection c, String state, Duration retention, int limit) throws SQLException {
        // the ids first, by the run_at index, then a delete by primary key. One DELETE ... ORDER BY run_at LIMIT n
        // let the optimizer take the state index at millions of rows and sort every succeeded job: 5 s per batch of
        // 1,000 at 3M rows, locking what it read. A finished job's run_at is at most its finished_at (a scheduled job
        // cancelled before its time goes once its run time is past the retention too), so the range of sf_job_run_at
        // holds every row to go.
        List<Long> ids = new ArrayList<>(limit);
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM sf_job FORCE INDEX (sf_job_run_at) WHERE state = "
                + state + " AND run_at < TIMESTAMPADD(MICROSECOND, ?, NOW(3)) AND finished_at < TIMESTAMPADD(MICROSECOND, ?, NOW(3))"
                + " ORDER BY run_at LIMIT ?")) {
            s.setLong(1, -micros(retention));
            s.setLong(2, -micros(retention));
            s.setInt(3, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong("id"));
                }
            }
        }
        return deleteFinished(c, state, ids);
    }

    /** Deletes these jobs if still in this state (a failed one with its failed-job log row, in the same statement). */
    private static int deleteFinished(Connection c, String state, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return 0;
        }
        String sql = FAILED.equals(state)
                ? "DELETE j, f FROM sf_job j LEFT JOIN sf_failed_job f ON f.job_id = j.id WHERE j.id IN ("
                        + placeholders(ids.size()) + ") AND j.state = " + state
                : "DELETE FROM sf_job WHERE id IN (" + placeholders(ids.size()) + ") AND state = " + state;
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bindIds(s, ids);
            s.executeUpdate();
        }
        // rows found, not rows deleted: another worker purging at the same time may have taken some, and the caller
        // goes on while batches come back full
        return ids.size();
    }

    // ------------------------------------------------------------------ workers

    /** The tables a worker writes, each with a column to name in the probe. */
    private static final int NO_SUCH_TABLE = 1146;
    private static final String[][] WORKER_WRITES = {{"sf_job", "id"}, {"sf_failed_job", "job_id"}, {"sf_worker", "id"},
            {"sf_worker_health", "worker_id"}, {"sf_worker_record", "worker_id"}, {"sf_tx_outcome", "id"}};

    @Override
    public Optional<MissingPrivilegeException> missingWritePrivilege(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String[] table : WORKER_WRITES) {
                try {
                    // WHERE 1 = 0: the server checks the privileges, then finds nothing to do (no row read, none locked)
                    s.executeUpdate("UPDATE " + table[0] + " SET " + table[1] + " = " + table[1] + " WHERE 1 = 0");
                    s.executeUpdate("DELETE FROM " + table[0] + " WHERE 1 = 0");
                    // IGNORE: strict mode refuses a column list leaving a NOT NULL column without default out, even for no row
                    s.executeUpdate("INSERT IGNORE INTO " + table[0] + " (" + table[1] + ") SELECT " + table[1] + " FROM "
                            + table[0] + " WHERE 1 = 0");
                } catch (SQLException e) {
                    if (e.getErrorCode() != NO_SUCH_TABLE) { // sf_tx_outcome, say, made later by whoever opens the database
                        throw e;
                    }
                }
            }
            return Optional.empty();
        } catch (SQLException e) {
            if (MissingPrivilegeException.deniedBy(e).isEmpty()) {
                throw e;
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CURRENT_USER(), DATABASE()")) {
                rs.next();
                String[] account = rs.getString(1).split("@", 2);
                String user = "'" + account[0] + "'" + (account.length > 1 ? "@'" + account[1] + "'" : "");
                return Optional.of(new MissingPrivilegeException(user, rs.getString(2), e));
            }
        }
    }

    @Override
    public void heartbeat(Connection c, String workerId, String host, String queues, int running, int stuck, Doorbell doorbell)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO sf_worker (id, host, queues, started_at, last_heartbeat,"
                + " running_jobs, stuck_jobs, wake_port, wake_token) VALUES (?, ?, ?, NOW(3), NOW(3), ?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
                + " last_heartbeat = NOW(3), running_jobs = VALUES(running_jobs), stuck_jobs = VALUES(stuck_jobs),"
                + " wake_port = VALUES(wake_port), wake_token = VALUES(wake_token)")) {
            s.setString(1, workerId);
            s.setString(2, host);
            s.setString(3, queues);
            s.setInt(4, running);
            s.setInt(5, stuck);
            if (doorbell == null) {
                s.setNull(6, Types.INTEGER);
                s.setNull(7, Types.VARCHAR);
            } else {
                s.setInt(6, doorbell.port());
                s.setString(7, doorbell.token());
            }
            s.executeUpdate();
        }
    }

    @Override
    public List<WorkerDoorbell> doorbells(Connection c, String host, Duration alive) throws SQLException {
        List<WorkerDoorbell> bells = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT wake_port, wake_token, queues FROM sf_worker WHERE host = ?"
                + " AND wake_port IS NOT NULL AND last_heartbeat > NOW(3) - INTERVAL ? SECOND")) {
            s.setString(1, host);
            s.setLong(2, Math.max(1, alive.toSeconds()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    bells.add(new WorkerDoorbell(new Doorbell(rs.getInt("wake_port"), rs.getString("wake_token")),
                            List.of(rs.getString("queues").split(","))));
                }
            }
        }
        return bells;
    }

    @Override
    public void reportHealth(Connection c, String workerId, ConnectionHealth health) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO sf_worker_health (worker_id, losses, heals, evictions,"
                + " gave_up, last_heal, updated_at) VALUES (?, ?, ?, ?, ?, ?, NOW(3)) ON DUPLICATE KEY UPDATE"
                + " losses = VALUES(losses), heals = VALUES(heals), evictions = VALUES(evictions),"
                + " gave_up = VALUES(gave_up), last_heal = VALUES(last_heal), updated_at = NOW(3)")) {
            s.setString(1, workerId);
            s.setLong(2, health.losses());
            s.setLong(3, health.heals());
            s.setLong(4, health.evictions());
            s.setLong(5, health.gaveUp());
            s.setTimestamp(6, health.lastHeal() == null ? null : Timestamp.from(health.lastHeal()));
            s.executeUpdate();
        }
    }

    @Override
    public void removeWorker(Connection c, String workerId) throws SQLException {
        for (String sql : new String[] {"DELETE FROM sf_worker WHERE id = ?", "DELETE FROM sf_worker_health WHERE worker_id = ?"}) {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, workerId);
                s.executeUpdate();
            }
        }
    }

    @Override
    public List<WorkerView> workers(Connection c, Duration alive) throws SQLException {
        Map<String, List<Long>> jobs = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT lease_owner, id FROM sf_job WHERE state = " + RUNNING + " ORDER BY id");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                jobs.computeIfAbsent(rs.getString("lease_owner"), k -> new ArrayList<>()).add(rs.getLong("id"));
            }
        }
        List<WorkerView> workers = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT w.id, w.host, w.queues, w.started_at, w.last_heartbeat, w.stuck_jobs,"
                + " w.last_heartbeat > NOW(3) - INTERVAL ? SECOND AS alive, COALESCE(h.losses, 0) AS losses,"
                + " COALESCE(h.heals, 0) AS heals, COALESCE(h.evictions, 0) AS evictions, COALESCE(h.gave_up, 0) AS gave_up,"
                + " h.last_heal, COALESCE(r.jobs, 0) AS jobs, COALESCE(r.failed, 0) AS failed FROM sf_worker w"
                + " LEFT JOIN sf_worker_health h ON h.worker_id = w.id LEFT JOIN sf_worker_record r ON r.worker_id = w.id"
                + " WHERE w.last_heartbeat > NOW(3) - INTERVAL 1 DAY ORDER BY w.last_heartbeat DESC")) {
            s.setLong(1, alive.toSeconds());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString("id");
                    ConnectionHealth health = new ConnectionHealth(rs.getLong("losses"), rs.getLong("heals"),
                            rs.getLong("evictions"), rs.getLong("gave_up"), instant(rs.getTimestamp("last_heal")), null);
                    workers.add(new WorkerView(id, rs.getString("host"), rs.getString("queues"),
                            instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("last_heartbeat")),
                            rs.getBoolean("alive"), List.copyOf(jobs.getOrDefault(id, List.of())), health, rs.getInt("stuck_jobs"),
                            rs.getLong("jobs"), rs.getLong("failed"), null));
                }
            }
        }
        return workers;
    }

    @Override
    public void publishTypes(Connection c, String workerId, Collection<String> types) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE sf_worker SET types = ? WHERE id = ?")) {
            s.setString(1, String.join(",", types));
            s.setString(2, workerId);
            s.executeUpdate();
        }
    }

    @Override
    public List<WorkerView> stoppedWorkers(Connection c, Duration within) throws SQLException {
        // a worker that stopped cleanly left sf_worker; its record says what it ran
        List<WorkerView> workers = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT r.worker_id, r.host, r.queues, r.started_at, r.updated_at, r.jobs,"
                + " r.failed, r.stopped_at FROM sf_worker_record r WHERE r.stopped_at > TIMESTAMPADD(MICROSECOND, ?, NOW(3))"
                + " AND NOT EXISTS (SELECT 1 FROM sf_worker w WHERE w.id = r.worker_id) ORDER BY r.stopped_at DESC LIMIT 200")) {
            s.setLong(1, -micros(within));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    workers.add(new WorkerView(rs.getString("worker_id"), rs.getString("host"), rs.getString("queues"),
                            instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("updated_at")), false, List.of(),
                            new ConnectionHealth(0, 0, 0, 0, null, null), 0, rs.getLong("jobs"), rs.getLong("failed"),
                            instant(rs.getTimestamp("stopped_at"))));
                }
            }
        }
        return workers;
    }

    @Override
    public void recordWork(Connection c, String workerId, String host, String queues, long jobs, long failed, boolean stopped)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO sf_worker_record (worker_id, host, queues, started_at, jobs,"
                + " failed, stopped_at, updated_at) VALUES (?, ?, ?, NOW(3), ?, ?, IF(?, NOW(3), NULL), NOW(3)) ON DUPLICATE KEY"
                + " UPDATE jobs = VALUES(jobs), failed = VALUES(failed), stopped_at = VALUES(stopped_at), updated_at = NOW(3)")) {
            s.setString(1, workerId);
            s.setString(2, host);
            s.setString(3, queues);
            s.setLong(4, jobs);
            s.setLong(5, failed);
            s.setBoolean(6, stopped);
            s.executeUpdate();
        }
    }

    @Override
    public List<LiveWorker> liveWorkerRoles(Connection c, Duration alive) throws SQLException {
        List<LiveWorker> live = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT queues, types FROM sf_worker WHERE last_heartbeat > NOW(3) - INTERVAL ? SECOND")) {
            s.setLong(1, Math.max(1, alive.toSeconds()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String types = rs.getString("types");
                    live.add(new LiveWorker(List.of(rs.getString("queues").split(",")),
                            types == null ? null : types.isEmpty() ? List.of() : List.of(types.split(","))));
                }
            }
        }
        return live;
    }

    @Override
    public List<DueGroup> dueGroups(Connection c, int limit) throws SQLException {
        // GROUP BY a leading prefix of sf_job_type with MIN of its last column: a loose index scan (EXPLAIN: "Using
        // index for group-by"), two seeks per queue and type instead of one read per waiting job
        List<DueGroup> groups = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT queue, type, MIN(run_at) AS oldest FROM sf_job"
                + " WHERE state = " + PENDING + " AND run_at <= NOW(3) GROUP BY queue, type ORDER BY queue, type LIMIT ?")) {
            s.setInt(1, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    groups.add(new DueGroup(rs.getString("queue"), rs.getString("type"), instant(rs.getTimestamp("oldest"))));
                }
            }
        }
        return groups;
    }

    @Override
    public long countDue(Connection c, String queue, String type, long cap) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) AS n FROM (SELECT 1 FROM sf_job WHERE queue = ? AND type = ?"
                + " AND state = " + PENDING + " AND run_at <= NOW(3) LIMIT ?) b")) {
            s.setString(1, queue);
            s.setString(2, type);
            s.setLong(3, cap);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong("n");
            }
        }
    }

    @Override
    public int forgetWorkerRecords(Connection c, Duration kept) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM sf_worker_record WHERE updated_at < TIMESTAMPADD(MICROSECOND, ?,"
                + " NOW(3)) LIMIT 1000")) {
            s.setLong(1, -micros(kept));
            return s.executeUpdate();
        }
    }

    // ------------------------------------------------------------------ counts, gauges, facts

    // A census costs index seeks per queue, state and priority, never a scan of what it counts: each count reads at
    // most EXACT_UP_TO + 1 index entries, and a larger one is estimated from index dives (CountEstimate).
    private static final long CAP = QueueCounts.EXACT_UP_TO;
    private static final int MAX_PRIORITIES = 50;
    private static final String[] STATE_NAMES = {"pending", "running", "succeeded", "failed", "cancelled"};
    // a census row: one count per stored state (STATE_NAMES), then the scheduled count and the oldest due job's wait
    private static final int SCHEDULED = STATE_NAMES.length;
    private static final int OLDEST_DUE_MS = SCHEDULED + 1;

    private static String bounded(String where) {
        return "(SELECT COUNT(*) FROM (SELECT 1 FROM sf_job WHERE " + where + " LIMIT " + (CAP + 1) + ") b)";
    }

    @Override
    public List<QueueCensus> census(Connection c) throws SQLException {
        List<String> queues = new ArrayList<>();
        // a loose index scan of sf_job_live_unique: one seek per queue
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT queue FROM sf_job GROUP BY queue")) {
            while (rs.next()) {
                queues.add(rs.getString("queue"));
            }
        }
        List<long[]> counts = new ArrayList<>(); // per queue: see SCHEDULED and OLDEST_DUE_MS
        List<List<Integer>> overflowingPriorities = new ArrayList<>();
        long countedExact = 0;
        boolean anyLarge = false;
        for (String queue : queues) {
            long[] n = new long[OLDEST_DUE_MS + 1];
            Integer priority;
            try (PreparedStatement s = c.prepareStatement("SELECT " + bounded("state = " + PENDING + " AND queue = ?") + " AS pending, "
                    + bounded("state = " + RUNNING + " AND queue = ?") + " AS running, "
                    + bounded("state = " + SUCCEEDED + " AND queue = ?") + " AS succeeded, "
                    + bounded("state = " + FAILED + " AND queue = ?") + " AS failed, "
                    + bounded("state = " + CANCELLED + " AND queue = ?") + " AS cancelled,"
                    + " (SELECT MAX(priority) FROM sf_job WHERE state = " + PENDING + " AND queue = ?) AS top")) {
                for (int i = 1; i <= 6; i++) {
                    s.setString(i, queue);
                }
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
                    + " (SELECT GREATEST(0, TIMESTAMPDIFF(MICROSECOND, run_at, NOW(3))) DIV 1000 FROM sf_job WHERE state = " + PENDING
                    + "   AND queue = ? AND priority = ? ORDER BY run_at LIMIT 1) AS waited_ms, "
                    + bounded("state = " + PENDING + " AND queue = ? AND priority = ? AND run_at > NOW(3)") + " AS scheduled,"
                    + " (SELECT priority FROM sf_job WHERE state = " + PENDING + " AND queue = ? AND priority < ?"
                    + "   ORDER BY priority DESC LIMIT 1) AS next")) {
                for (int walked = 0; priority != null && walked < MAX_PRIORITIES; walked++) {
                    for (int i = 1; i <= 6; i += 2) {
                        s.setString(i, queue);
                        s.setInt(i + 1, priority);
                    }
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
            java.util.Set<String> estimated = new java.util.TreeSet<>();
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
            census.add(new QueueCensus(queues.get(q), new QueueCounts(n[0] - scheduled, scheduled, n[1], n[2], n[3], n[4],
                    estimated), n[OLDEST_DUE_MS] / 1000.0));
        }
        return census;
    }

    @Override
    public void saveCensus(Connection tx, List<QueueCensus> census) throws SQLException {
        try (Statement s = tx.createStatement()) {
            s.executeUpdate("DELETE FROM sf_queue_census");
        }
        if (census.isEmpty()) {
            return;
        }
        try (PreparedStatement s = tx.prepareStatement("INSERT INTO sf_queue_census (queue, pending, scheduled, running, succeeded,"
                + " failed, cancelled, est_flags, oldest_due_ms, taken_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NOW(3))")) {
            for (QueueCensus q : census) {
                QueueCounts n = q.counts();
                s.setString(1, q.queue());
                s.setLong(2, n.pending());
                s.setLong(3, n.scheduled());
                s.setLong(4, n.running());
                s.setLong(5, n.succeeded());
                s.setLong(6, n.failed());
                s.setLong(7, n.cancelled());
                int flags = 0;
                for (int i = 0; i < CENSUS_FLAGS.length; i++) {
                    flags |= n.isEstimate(CENSUS_FLAGS[i]) ? 1 << i : 0;
                }
                s.setInt(8, flags);
                s.setLong(9, Math.round(q.oldestDueSeconds() * 1000));
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    // est_flags of sf_queue_census: bit i set when the count named CENSUS_FLAGS[i] is an estimate
    private static final String[] CENSUS_FLAGS = {"pending", "scheduled", "running", "succeeded", "failed", "cancelled"};

    @Override
    public List<QueueCensus> savedCensus(Connection c, Duration maxAge) throws SQLException {
        List<QueueCensus> census = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT queue, pending, scheduled, running, succeeded, failed, cancelled,"
                + " est_flags, oldest_due_ms FROM sf_queue_census WHERE taken_at > TIMESTAMPADD(MICROSECOND, ?, NOW(3)) ORDER BY queue")) {
            s.setLong(1, -micros(maxAge));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    java.util.Set<String> estimated = new java.util.TreeSet<>();
                    int flags = rs.getInt("est_flags");
                    for (int i = 0; i < CENSUS_FLAGS.length; i++) {
                        if ((flags & (1 << i)) != 0) {
                            estimated.add(CENSUS_FLAGS[i]);
                        }
                    }
                    census.add(new QueueCensus(rs.getString("queue"), new QueueCounts(rs.getLong("pending"), rs.getLong("scheduled"),
                            rs.getLong("running"), rs.getLong("succeeded"), rs.getLong("failed"), rs.getLong("cancelled"), estimated),
                            rs.getLong("oldest_due_ms") / 1000.0));
                }
            }
        }
        return census;
    }

    @Override
    public boolean holdRole(Connection c, String role, String holder, Duration hold) throws SQLException {
        // one conditional UPDATE: the holder renews, anyone takes over an expired role; 1 row changed means we hold it
        try (PreparedStatement s = c.prepareStatement("UPDATE sf_role SET holder = ?, expires_at = TIMESTAMPADD(MICROSECOND, ?, NOW(3))"
                + " WHERE name = ? AND (holder = ? OR holder IS NULL OR expires_at < NOW(3))")) {
            s.setString(1, holder);
            s.setLong(2, micros(hold));
            s.setString(3, role);
            s.setString(4, holder);
            return s.executeUpdate() == 1;
        }
    }

    @Override
    public void releaseRole(Connection c, String role, String holder) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE sf_role SET holder = NULL WHERE name = ? AND holder = ?")) {
            s.setString(1, role);
            s.setString(2, holder);
            s.executeUpdate();
        }
    }

    @Override
    public void addFinished(Connection tx, Map<Long, long[]> perMinute) throws SQLException {
        try (PreparedStatement s = tx.prepareStatement("INSERT INTO sf_job_minute (minute, succeeded, failed) VALUES (?, ?, ?)"
                + " ON DUPLICATE KEY UPDATE succeeded = succeeded + VALUES(succeeded), failed = failed + VALUES(failed)")) {
            for (Map.Entry<Long, long[]> e : perMinute.entrySet()) {
                s.setLong(1, e.getKey());
                s.setLong(2, e.getValue()[0]);
                s.setLong(3, e.getValue()[1]);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    @Override
    public int forgetFinishedBefore(Connection c, Duration age) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM sf_job_minute WHERE minute < FLOOR(UNIX_TIMESTAMP(NOW()) / 60) - ?")) {
            s.setLong(1, age.toMinutes());
            return s.executeUpdate();
        }
    }

    /** Replaces the counts that hit the bound with estimates (see {@link CountEstimate}). */
    private static void estimateLarge(Connection c, List<String> queues, List<long[]> counts,
                                      List<List<Integer>> overflowingPriorities, long countedExact) throws SQLException {
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
                        s.setString(1, STATE_NAMES[i]);
                        s.setString(2, queues.get(q));
                        dives[q][i] = explainedRows(s);
                        divesTotal += dives[q][i];
                    }
                }
                for (int priority : overflowingPriorities.get(q)) {
                    future.setString(1, queues.get(q));
                    future.setInt(2, priority);
                    scheduledDives[q] += explainedRows(future);
                }
            }
        }
        long tableRows;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN SELECT 1 FROM sf_job")) {
            rs.next();
            tableRows = rs.getLong("rows");
        }
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

    @Override
    public long liveWorkers(Connection c, Duration alive) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) AS n FROM sf_worker WHERE last_heartbeat > NOW(3) - INTERVAL ? SECOND")) {
            s.setLong(1, alive.toSeconds());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong("n");
            }
        }
    }

    @Override
    public Optional<QueueFacts> facts(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet tables = s.executeQuery("SELECT COUNT(*) AS n FROM information_schema.tables"
                     + " WHERE table_schema = DATABASE() AND table_name IN ('sf_job', 'sf_failed_job')")) {
            tables.next();
            if (tables.getInt("n") != 2) {
                return Optional.empty();
            }
        }
        long due = 0;
        long oldest = 0;
        long failed = 0;
        for (QueueCensus q : census(c)) {
            due += q.counts().pending();
            oldest = Math.max(oldest, Math.round(q.oldestDueSeconds()));
            failed += q.counts().failed();
        }
        // the payloads about to run, not all of them: reading every pending payload would be a scan of the backlog
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT"
                     + " (SELECT COALESCE(MAX(LENGTH(payload)), 0) FROM (SELECT payload FROM sf_job WHERE state = " + PENDING
                     + "   ORDER BY run_at LIMIT " + NEXT_PAYLOADS + ") p) AS largest,"
                     + " (SELECT COUNT(*) FROM sf_job WHERE state = " + RUNNING + " AND lease_expires_at < NOW(3)) AS expired")) {
            rs.next();
            return Optional.of(new QueueFacts(rs.getLong("largest"), due, oldest, rs.getLong("expired"), failed));
        }
    }

    /** How many of the next pending jobs {@link #facts} looks at for the largest payload. */
    private static final int NEXT_PAYLOADS = 100;

    @Override
    public long[][] throughput(Connection c, int minutes) throws SQLException {
        long[][] perMinute = new long[minutes][2];
        try (PreparedStatement s = c.prepareStatement("SELECT FLOOR(UNIX_TIMESTAMP(NOW()) / 60) - minute AS ago, succeeded, failed"
                + " FROM sf_job_minute WHERE minute > FLOOR(UNIX_TIMESTAMP(NOW()) / 60) - ?")) {
            s.setInt(1, minutes);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    int ago = rs.getInt("ago");
                    if (ago >= 0 && ago < minutes) {
                        perMinute[minutes - 1 - ago][0] += rs.getLong("succeeded");
                        perMinute[minutes - 1 - ago][1] += rs.getLong("failed");
                    }
                }
            }
        }
        return perMinute;
    }

    // ------------------------------------------------------------------ browsing and managing jobs

    /** A filter as SQL over {@code sf_job j}, with its parameters in order. */
    private record Where(String sql, List<Object> params) {
        static Where of(JobFilter filter) {
            StringBuilder sql = new StringBuilder("1 = 1");
            List<Object> params = new ArrayList<>();
            if (filter.state() != null) {
                switch (filter.state()) {
                    case "pending" -> sql.append(" AND j.state = " + PENDING + " AND j.run_at <= NOW(3)");
                    case "scheduled" -> sql.append(" AND j.state = " + PENDING + " AND j.run_at > NOW(3)");
                    default -> {
                        sql.append(" AND j.state = ?");
                        params.add(filter.state());
                    }
                }
            }
            if (filter.queue() != null) {
                sql.append(" AND j.queue = ?");
                params.add(filter.queue());
            }
            if (filter.type() != null) {
                sql.append(" AND j.type = ?");
                params.add(filter.type());
            }
            if (filter.search() != null) {
                String prefix = likeEscape(filter.search()) + "%";
                boolean id = filter.search().matches("\\d{1,18}");
                sql.append(" AND (j.type LIKE ? ESCAPE '!' OR j.unique_key LIKE ? ESCAPE '!'").append(id ? " OR j.id = ?)" : ")");
                params.add(prefix);
                params.add(prefix);
                if (id) {
                    params.add(Long.parseLong(filter.search()));
                }
            }
            if (filter.errorContains() != null) {
                sql.append(" AND j.last_error LIKE ? ESCAPE '!'");
                params.add("%" + likeEscape(filter.errorContains()) + "%");
            }
            if (filter.olderThan() != null) {
                sql.append(" AND COALESCE(j.finished_at, j.created_at) < TIMESTAMPADD(MICROSECOND, ?, NOW(3))");
                params.add(-micros(filter.olderThan()));
            }
            return new Where(sql.toString(), params);
        }

        /** Binds the parameters from index {@code first}; returns the next free index. */
        int bind(PreparedStatement s, int first) throws SQLException {
            int i = first;
            for (Object p : params) {
                s.setObject(i++, p);
            }
            return i;
        }

        private static String likeEscape(String text) {
            return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
        }
    }

    @Override
    public List<JobView> list(Connection c, JobFilter filter, Order order, Cursor after, int offset, int limit)
            throws SQLException {
        Where where = Where.of(filter);
        String keyset = after == null ? "" : switch (order) {
            case RUN_TIME -> " AND (j.run_at > ? OR (j.run_at = ? AND j.id > ?))";
            case NEWEST_FIRST -> " AND j.id < ?";
            case OLDEST_FIRST -> " AND j.id > ?";
        };
        String sort = switch (order) {
            case RUN_TIME -> " ORDER BY j.run_at, j.id";
            case NEWEST_FIRST -> " ORDER BY j.id DESC";
            case OLDEST_FIRST -> " ORDER BY j.id";
        };
        try (PreparedStatement s = c.prepareStatement("SELECT " + LIST_COLUMNS + " FROM sf_job j WHERE " + where.sql() + keyset
                + sort + " LIMIT ? OFFSET ?")) {
            int i = where.bind(s, 1);
            if (after != null) {
                if (order == Order.RUN_TIME) {
                    Timestamp runAt = Timestamp.from(after.runAt());
                    s.setTimestamp(i++, runAt);
                    s.setTimestamp(i++, runAt);
                }
                s.setLong(i++, after.id());
            }
            s.setInt(i++, limit);
            s.setInt(i, offset);
            return readJobs(s);
        }
    }

    @Override
    public long count(Connection c, JobFilter filter, long cap) throws SQLException {
        Where where = Where.of(filter);
        try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) AS n FROM (SELECT 1 FROM sf_job j WHERE " + where.sql()
                + " LIMIT ?) capped")) {
            s.setLong(where.bind(s, 1), cap);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong("n");
            }
        }
    }

    @Override
    public List<Long> ids(Connection c, JobFilter filter, int limit) throws SQLException {
        Where where = Where.of(filter);
        try (PreparedStatement s = c.prepareStatement("SELECT j.id FROM sf_job j WHERE " + where.sql()
                + " AND j.state <> " + RUNNING + " ORDER BY j.id LIMIT ?")) {
            s.setInt(where.bind(s, 1), limit);
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong("id"));
                }
            }
            return ids;
        }
    }

    @Override
    public Optional<JobView> job(Connection c, long id, int maxText) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + DETAIL_COLUMNS + " FROM sf_job j WHERE j.id = ?")) {
            s.setInt(1, maxText);
            s.setInt(2, maxText);
            s.setLong(3, id);
            return readJobs(s).stream().findFirst();
        }
    }

    @Override
    public Optional<String> payload(Connection c, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT payload FROM sf_job WHERE id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString("payload")) : Optional.empty();
            }
        }
    }

    @Override
    public int delete(Connection tx, Collection<Long> ids) throws SQLException {
        return deleteWhere(tx, ids, "<> " + RUNNING);
    }

    @Override
    public int delete(Connection tx, Collection<Long> ids, JobState onlyIn) throws SQLException {
        if (onlyIn == JobState.RUNNING) {
            return 0; // a running job is its worker's until it finishes
        }
        return deleteWhere(tx, ids, "= " + literal(onlyIn));
    }

    /** Deletes these jobs whose state is {@code stateCondition} ({@code <> 'running'}, {@code = 'failed'}). */
    private static int deleteWhere(Connection tx, Collection<Long> ids, String stateCondition) throws SQLException {
        if (ids.isEmpty()) {
            return 0;
        }
        String in = placeholders(ids.size());
        // a running job is its worker's until it finishes; its failure record goes with it
        try (PreparedStatement s = tx.prepareStatement("DELETE f FROM sf_failed_job f JOIN sf_job j ON j.id = f.job_id"
                + " WHERE j.id IN (" + in + ") AND j.state " + stateCondition)) {
            bindIds(s, ids);
            s.executeUpdate();
        }
        try (PreparedStatement s = tx.prepareStatement("DELETE FROM sf_job WHERE id IN (" + in + ") AND state " + stateCondition)) {
            bindIds(s, ids);
            return s.executeUpdate();
        }
    }

    @Override
    public boolean runNow(Connection c, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE sf_job SET run_at = NOW(3), updated_at = NOW(3)"
                + " WHERE id = ? AND state = " + PENDING + " AND run_at > NOW(3)")) {
            s.setLong(1, id);
            return s.executeUpdate() == 1;
        }
    }

    @Override
    public int retry(Connection tx, Collection<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return 0;
        }
        String in = placeholders(ids.size());
        // the failure record goes first, while the job still says which of these failed
        try (PreparedStatement s = tx.prepareStatement("DELETE f FROM sf_failed_job f JOIN sf_job j ON j.id = f.job_id"
                + " WHERE j.id IN (" + in + ") AND j.state = " + FAILED)) {
            bindIds(s, ids);
            s.executeUpdate();
        }
        try (PreparedStatement s = tx.prepareStatement("UPDATE sf_job SET " + BACK_TO_PENDING + " WHERE id IN (" + in + ")"
                + " AND state = " + FAILED)) {
            bindIds(s, ids);
            return s.executeUpdate();
        }
    }

    private static List<JobView> readJobs(PreparedStatement s) throws SQLException {
        List<JobView> jobs = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
            jobs.add(new JobView(rs.getLong("id"), rs.getString("queue"), rs.getString("type"), rs.getString("payload"),
                    rs.getInt("priority"), rs.getString("shown_state"), rs.getInt("attempts"), rs.getInt("max_attempts"),
                    instant(rs.getTimestamp("run_at")), instant(rs.getTimestamp("created_at")),
                    instant(rs.getTimestamp("updated_at")), instant(rs.getTimestamp("finished_at")),
                    rs.getString("unique_key"), rs.getString("lease_owner"), rs.getString("last_error"),
                    AttemptLog.parse(rs.getString("attempt_log"))));
            }
        }
        return jobs;
    }

    // ------------------------------------------------------------------ failed jobs

    @Override
    public List<FailedJob> failures(Connection c, JobFilter filter, Long beforeId, int limit) throws SQLException {
        Where where = Where.of(filter.state(JobState.FAILED.column()));
        try (PreparedStatement s = c.prepareStatement("SELECT " + FAILED_SUMMARY_COLUMNS + FAILED_FROM + " WHERE " + where.sql()
                + (beforeId == null ? "" : " AND j.id < ?") + " ORDER BY j.id DESC LIMIT ?")) {
            int i = where.bind(s, 1);
            if (beforeId != null) {
                s.setLong(i++, beforeId);
            }
            s.setInt(i, limit);
            return readFailed(s);
        }
    }

    @Override
    public Optional<FailedJob> failure(Connection c, long jobId, int maxPayload, int maxText) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + FAILED_DETAIL_COLUMNS + FAILED_FROM
                + " WHERE j.id = ? AND j.state = " + FAILED)) {
            s.setInt(1, maxPayload);
            s.setInt(2, maxText);
            s.setInt(3, maxText);
            s.setLong(4, jobId);
            return readFailed(s).stream().findFirst();
        }
    }

    private static List<FailedJob> readFailed(PreparedStatement s) throws SQLException {
        List<FailedJob> jobs = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                String payload = rs.getString("payload");
                jobs.add(new FailedJob(rs.getLong("id"), rs.getString("queue"), rs.getString("type"),
                        payload == null || payload.isEmpty() ? null : payload, rs.getInt("attempts"), rs.getString("error_class"), rs.getString("message"),
                        rs.getString("stack_trace"), rs.getString("worker"), rs.getTimestamp("failed_at").toInstant()));
            }
        }
        return jobs;
    }

    private static void bindIds(PreparedStatement s, Collection<Long> ids) throws SQLException {
        int i = 1;
        for (long id : ids) {
            s.setLong(i++, id);
        }
    }

    // ------------------------------------------------------------------ helpers

    /**
     * The SET clause that appends the attempt just finished to {@code attempt_log}, as one JSON line (number,
     * start in epoch ms, duration, worker, outcome and, with {@code withError}, a parameter for the error's head).
     * It must come first in the SET list: later assignments clear the lease owner it reads. The log keeps its
     * last 16,000 characters; a line cut at its start is skipped when read.
     */
    private static String logAttempt(String outcome, boolean withError) {
        return "attempt_log = RIGHT(CONCAT(COALESCE(attempt_log, ''), JSON_OBJECT('attempt', attempts,"
                + " 'started', ROUND(UNIX_TIMESTAMP(attempt_started_at) * 1000),"
                + " 'ms', TIMESTAMPDIFF(MICROSECOND, attempt_started_at, NOW(3)) DIV 1000, 'worker', lease_owner,"
                + " 'outcome', '" + outcome + "'" + (withError ? ", 'error', LEFT(?, 300)" : "") + "), CHAR(10 USING utf8mb4)), 16000)";
    }

    /** A stored state as an SQL string literal (the states are our own lower-case words: nothing to escape). */
    private static String literal(JobState state) {
        return "'" + state.column() + "'";
    }

    /** Binds the values of each list in turn from parameter {@code first} on; returns the next free parameter. */
    @SafeVarargs
    private static int bindStrings(PreparedStatement s, int first, Collection<String>... lists) throws SQLException {
        int i = first;
        for (Collection<String> list : lists) {
            for (String value : list) {
                s.setString(i++, value);
            }
        }
        return i;
    }

    private static String placeholders(int n) {
        return String.join(",", Collections.nCopies(n, "?"));
    }

    private static long micros(Duration d) {
        return d.toNanos() / 1000;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
