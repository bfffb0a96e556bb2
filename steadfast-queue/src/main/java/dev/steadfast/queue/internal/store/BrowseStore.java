package dev.steadfast.queue.internal.store;

import dev.steadfast.jdbc.ConnectionHealth;
import dev.steadfast.queue.JobView;
import dev.steadfast.queue.WorkerView;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The dashboard's reads of {@code sf_job} and {@code sf_worker}. */
public final class BrowseStore {
    // lists never read payloads (a page of 12 MB payloads ran the dashboard out of heap) and only the head of errors
    private static final String LIST_COLUMNS = "id, queue, type, NULL AS payload, priority,"
            + " CASE WHEN state = 'pending' AND run_at > NOW(3) THEN 'scheduled' ELSE state END AS shown_state,"
            + " attempts, max_attempts, run_at, created_at, updated_at, finished_at, unique_key, lease_owner,"
            + " LEFT(last_error, 500) AS last_error";
    private static final String DETAIL_COLUMNS = "id, queue, type, LEFT(payload, ?) AS payload, priority,"
            + " CASE WHEN state = 'pending' AND run_at > NOW(3) THEN 'scheduled' ELSE state END AS shown_state,"
            + " attempts, max_attempts, run_at, created_at, updated_at, finished_at, unique_key, lease_owner,"
            + " LEFT(last_error, ?) AS last_error";

    private BrowseStore() {
    }

    /**
     * A page of jobs in a state, newest first, by keyset: {@code beforeId} (older than) or {@code afterId}
     * (newer than, the page right above it); both null for the newest. Deep pages cost what the first does.
     */
    public static List<JobView> list(Connection c, String state, String search, Long beforeId, Long afterId, int offset,
                                    int limit)
            throws SQLException {
        String where = switch (state) {
            case "pending" -> "state = 'pending' AND run_at <= NOW(3)";
            case "scheduled" -> "state = 'pending' AND run_at > NOW(3)";
            default -> "state = ?";
        };
        boolean byState = !state.equals("pending") && !state.equals("scheduled");
        String filter = search == null ? "" : " AND (type = ? OR unique_key = ?" + (isId(search) ? " OR id = ?" : "") + ")";
        String keyset = beforeId != null ? " AND id < ?" : afterId != null ? " AND id > ?" : "";
        String order = afterId != null ? " ORDER BY id ASC" : " ORDER BY id DESC";
        try (PreparedStatement s = c.prepareStatement("SELECT " + LIST_COLUMNS + " FROM sf_job WHERE " + where + filter + keyset
                + order + " LIMIT ? OFFSET ?")) {
            int i = 1;
            if (byState) {
                s.setString(i++, state);
            }
            if (search != null) {
                s.setString(i++, search);
                s.setString(i++, search);
                if (isId(search)) {
                    s.setLong(i++, Long.parseLong(search));
                }
            }
            if (beforeId != null || afterId != null) {
                s.setLong(i++, beforeId != null ? beforeId : afterId);
            }
            s.setInt(i++, limit);
            s.setInt(i, offset);
            List<JobView> jobs = read(s);
            if (afterId != null) {
                java.util.Collections.reverse(jobs);
            }
            return jobs;
        }
    }

    private static boolean isId(String search) {
        return search.matches("\\d{1,18}");
    }

    /** One job with at most {@code maxText} characters of its payload and last error. */
    public static Optional<JobView> job(Connection c, long id, int maxText) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + DETAIL_COLUMNS + " FROM sf_job WHERE id = ?")) {
            s.setInt(1, maxText);
            s.setInt(2, maxText);
            s.setLong(3, id);
            return read(s).stream().findFirst();
        }
    }

    /** The whole payload of a job. */
    public static Optional<String> payload(Connection c, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT payload FROM sf_job WHERE id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    public static long[][] throughput(Connection c, int minutes) throws SQLException {
        long[][] perMinute = new long[minutes][2];
        try (PreparedStatement s = c.prepareStatement("SELECT FLOOR(TIMESTAMPDIFF(SECOND, finished_at, NOW(3)) / 60), state, COUNT(*)"
                + " FROM sf_job WHERE state IN ('succeeded', 'failed') AND finished_at > NOW(3) - INTERVAL ? MINUTE"
                + " GROUP BY 1, 2")) {
            s.setInt(1, minutes);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    int ago = rs.getInt(1);
                    if (ago >= 0 && ago < minutes) {
                        perMinute[minutes - 1 - ago]["succeeded".equals(rs.getString(2)) ? 0 : 1] += rs.getLong(3);
                    }
                }
            }
        }
        return perMinute;
    }

    public static List<WorkerView> workers(Connection c, Duration alive) throws SQLException {
        Map<String, List<Long>> jobs = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT lease_owner, id FROM sf_job WHERE state = 'running' ORDER BY id")) {
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    jobs.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getLong(2));
                }
            }
        }
        List<WorkerView> workers = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT w.id, w.host, w.queues, w.started_at, w.last_heartbeat,"
                + " w.last_heartbeat > NOW(3) - INTERVAL ? SECOND, COALESCE(h.losses, 0), COALESCE(h.heals, 0),"
                + " COALESCE(h.evictions, 0), COALESCE(h.gave_up, 0), h.last_heal"
                + " FROM sf_worker w LEFT JOIN sf_worker_health h ON h.worker_id = w.id"
                + " WHERE w.last_heartbeat > NOW(3) - INTERVAL 1 DAY ORDER BY w.last_heartbeat DESC")) {
            s.setLong(1, alive.toSeconds());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ConnectionHealth health = new ConnectionHealth(rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10),
                            instant(rs.getTimestamp(11)), null);
                    workers.add(new WorkerView(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs.getTimestamp(4)),
                            instant(rs.getTimestamp(5)), rs.getBoolean(6), List.copyOf(jobs.getOrDefault(rs.getString(1), List.of())),
                            health));
                }
            }
        }
        return workers;
    }

    private static List<JobView> read(PreparedStatement s) throws SQLException {
        List<JobView> jobs = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                jobs.add(new JobView(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                        rs.getString(6), rs.getInt(7), rs.getInt(8), instant(rs.getTimestamp(9)), instant(rs.getTimestamp(10)),
                        instant(rs.getTimestamp(11)), instant(rs.getTimestamp(12)), rs.getString(13), rs.getString(14),
                        rs.getString(15)));
            }
        }
        return jobs;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
