package dev.steadfast.queue.internal.store;

import static dev.steadfast.queue.internal.store.States.PENDING;
import static dev.steadfast.queue.internal.store.States.RUNNING;

import dev.steadfast.queue.JobFilter;
import dev.steadfast.queue.JobView;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Browsing jobs: keyset pages of a filter, bounded counts, one job with its history, a payload. */
public final class JobSearch {
    private static final String SHOWN_STATE = "CASE WHEN j.state = " + PENDING
            + " AND j.run_at > NOW(3) THEN 'scheduled'" + " ELSE j.state END AS shown_state";
    // lists never read payloads (a page of 12 MB payloads ran a dashboard out of heap) and only the head of errors
    private static final String LIST_COLUMNS =
            "j.id, j.queue, j.type, NULL AS payload, j.priority, " + SHOWN_STATE + ","
                    + " j.attempts, j.max_attempts, j.run_at, j.created_at, j.updated_at, j.finished_at, j.unique_key, j.lease_owner,"
                    + " LEFT(j.last_error, 500) AS last_error, NULL AS attempt_log";
    private static final String DETAIL_COLUMNS =
            "j.id, j.queue, j.type, LEFT(j.payload, ?) AS payload, j.priority, " + SHOWN_STATE + ","
                    + " j.attempts, j.max_attempts, j.run_at, j.created_at, j.updated_at, j.finished_at, j.unique_key, j.lease_owner,"
                    + " LEFT(j.last_error, ?) AS last_error, j.attempt_log";

    /** Where a page of a list ends: the last row's id and, for lists ordered by run time, its run time. */
    public record Cursor(Instant runAt, long id) {}

    /** The order of a list, and so what its cursor holds. */
    public enum Order {
        /** When jobs will run, next first: cursor (run time, id). */
        RUN_TIME,
        /** Highest id first: cursor id. */
        NEWEST_FIRST,
        /** Lowest id first: cursor id. */
        OLDEST_FIRST
    }

    JobSearch() {}

    /**
     * A keyset page of jobs matching the filter, without payloads, in the given order; after the cursor's row when
     * one is given, skipping {@code offset} rows (an offset costs a scan of what it skips).
     */
    public List<JobView> list(Connection c, JobFilter filter, Order order, Cursor after, int offset, int limit)
            throws SQLException {
        JobWhere where = JobWhere.of(filter);
        String keyset = after == null
                ? ""
                : switch (order) {
                    case RUN_TIME -> " AND (j.run_at > ? OR (j.run_at = ? AND j.id > ?))";
                    case NEWEST_FIRST -> " AND j.id < ?";
                    case OLDEST_FIRST -> " AND j.id > ?";
                };
        String sort = switch (order) {
            case RUN_TIME -> " ORDER BY j.run_at, j.id";
            case NEWEST_FIRST -> " ORDER BY j.id DESC";
            case OLDEST_FIRST -> " ORDER BY j.id";
        };
        List<Object> cursor = after == null
                ? List.of()
                : order == Order.RUN_TIME ? List.of(after.runAt(), after.runAt(), after.id()) : List.of(after.id());
        return Sql.list(
                c,
                "SELECT " + LIST_COLUMNS + " FROM sf_job j WHERE " + where.sql() + keyset + sort + " LIMIT ? OFFSET ?",
                JobSearch::jobView,
                where.params(),
                cursor,
                limit,
                offset);
    }

    /** How many jobs match, counting no further than {@code cap}. */
    public long count(Connection c, JobFilter filter, long cap) throws SQLException {
        JobWhere where = JobWhere.of(filter);
        return Sql.one(
                c,
                "SELECT COUNT(*) AS n FROM (SELECT 1 FROM sf_job j WHERE " + where.sql() + " LIMIT ?) capped",
                rs -> rs.getLong("n"),
                where.params(),
                cap);
    }

    /** Up to {@code limit} ids of jobs matching the filter that are not running, lowest first. */
    public List<Long> ids(Connection c, JobFilter filter, int limit) throws SQLException {
        JobWhere where = JobWhere.of(filter);
        return Sql.list(
                c,
                "SELECT j.id FROM sf_job j WHERE " + where.sql() + " AND j.state <> " + RUNNING
                        + " ORDER BY j.id LIMIT ?",
                rs -> rs.getLong("id"),
                where.params(),
                limit);
    }

    /** One job with the head of its payload and error ({@code maxText} characters) and its attempt history. */
    public Optional<JobView> job(Connection c, long id, int maxText) throws SQLException {
        return Sql.first(
                c,
                "SELECT " + DETAIL_COLUMNS + " FROM sf_job j WHERE j.id = ?",
                JobSearch::jobView,
                maxText,
                maxText,
                id);
    }

    /** A job's whole payload. */
    public Optional<String> payload(Connection c, long id) throws SQLException {
        return Sql.first(c, "SELECT payload FROM sf_job WHERE id = ?", rs -> rs.getString("payload"), id);
    }

    private static JobView jobView(ResultSet rs) throws SQLException {
        return new JobView(
                rs.getLong("id"),
                rs.getString("queue"),
                rs.getString("type"),
                rs.getString("payload"),
                rs.getInt("priority"),
                rs.getString("shown_state"),
                rs.getInt("attempts"),
                rs.getInt("max_attempts"),
                Sql.instant(rs.getTimestamp("run_at")),
                Sql.instant(rs.getTimestamp("created_at")),
                Sql.instant(rs.getTimestamp("updated_at")),
                Sql.instant(rs.getTimestamp("finished_at")),
                rs.getString("unique_key"),
                rs.getString("lease_owner"),
                rs.getString("last_error"),
                AttemptLog.parse(rs.getString("attempt_log")));
    }
}
