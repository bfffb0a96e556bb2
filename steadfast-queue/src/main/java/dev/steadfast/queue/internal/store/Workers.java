package dev.steadfast.queue.internal.store;

import static dev.steadfast.queue.internal.store.States.RUNNING;

import dev.steadfast.jdbc.ConnectionHealth;
import dev.steadfast.queue.MissingPrivilegeException;
import dev.steadfast.queue.WorkerView;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Workers: the live ones ({@code sf_worker}, heartbeats, doorbells, the job types they handle), their connection
 * health ({@code sf_worker_health}) and what each ran ({@code sf_worker_record}, kept after it stopped).
 */
public final class Workers {
    /** The tables a worker writes, each with a column to name in the probe. */
    private static final int NO_SUCH_TABLE = 1146;

    private static final String[][] WORKER_WRITES = {
        {"sf_job", "id"},
        {"sf_failed_job", "job_id"},
        {"sf_worker", "id"},
        {"sf_worker_health", "worker_id"},
        {"sf_worker_record", "worker_id"},
        {"sf_tx_outcome", "id"}
    };

    /** Where a worker listens for wake-ups on its host's loopback, and the token a datagram must carry to count. */
    public record Doorbell(int port, String token) {}

    /** The doorbell of a live worker and the queues it claims from. */
    public record WorkerDoorbell(Doorbell doorbell, List<String> queues) {}

    /** A live worker's queues and the job types it handles (null: a worker of a version that did not say). */
    public record LiveWorker(List<String> queues, List<String> types) {}

    Workers() {}

    /**
     * Whether this account may write the tables a worker writes: statements that touch no row, refused only for a
     * missing privilege. Empty when it may; any other error is thrown.
     */
    public Optional<MissingPrivilegeException> missingWritePrivilege(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String[] table : WORKER_WRITES) {
                try {
                    // WHERE 1 = 0: the server checks the privileges, then finds nothing to do (no row read, none
                    // locked)
                    s.executeUpdate("UPDATE " + table[0] + " SET " + table[1] + " = " + table[1] + " WHERE 1 = 0");
                    s.executeUpdate("DELETE FROM " + table[0] + " WHERE 1 = 0");
                    // IGNORE: strict mode refuses a column list leaving a NOT NULL column without default out, even for
                    // no row
                    s.executeUpdate("INSERT IGNORE INTO " + table[0] + " (" + table[1] + ") SELECT " + table[1]
                            + " FROM " + table[0] + " WHERE 1 = 0");
                } catch (SQLException e) {
                    if (e.getErrorCode()
                            != NO_SUCH_TABLE) { // sf_tx_outcome, say, made later by whoever opens the database
                        throw e;
                    }
                }
            }
            return Optional.empty();
        } catch (SQLException e) {
            if (MissingPrivilegeException.deniedBy(e).isEmpty()) {
                throw e;
            }
            return Optional.of(Sql.one(c, "SELECT CURRENT_USER(), DATABASE()", rs -> {
                String[] account = rs.getString(1).split("@", 2);
                String user = "'" + account[0] + "'" + (account.length > 1 ? "@'" + account[1] + "'" : "");
                return new MissingPrivilegeException(user, rs.getString(2), e);
            }));
        }
    }

    /** Says the worker is alive, on which host, for which queues, and where it listens for wake-ups (or null). */
    public void heartbeat(
            Connection c, String workerId, String host, String queues, int running, int stuck, Doorbell doorbell)
            throws SQLException {
        Sql.update(
                c,
                "INSERT INTO sf_worker (id, host, queues, started_at, last_heartbeat,"
                        + " running_jobs, stuck_jobs, wake_port, wake_token) VALUES (?, ?, ?, NOW(3), NOW(3), ?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
                        + " last_heartbeat = NOW(3), running_jobs = VALUES(running_jobs), stuck_jobs = VALUES(stuck_jobs),"
                        + " wake_port = VALUES(wake_port), wake_token = VALUES(wake_token)",
                workerId,
                host,
                queues,
                running,
                stuck,
                Sql.nullAs(doorbell == null ? null : doorbell.port(), Types.INTEGER),
                Sql.nullAs(doorbell == null ? null : doorbell.token(), Types.VARCHAR));
    }

    /** The doorbells of workers on {@code host} whose last heartbeat is within {@code alive}. */
    public List<WorkerDoorbell> doorbells(Connection c, String host, Duration alive) throws SQLException {
        return Sql.list(
                c,
                "SELECT wake_port, wake_token, queues FROM sf_worker WHERE host = ?"
                        + " AND wake_port IS NOT NULL AND last_heartbeat > NOW(3) - INTERVAL ? SECOND",
                rs -> new WorkerDoorbell(
                        new Doorbell(rs.getInt("wake_port"), rs.getString("wake_token")),
                        List.of(rs.getString("queues").split(","))),
                host,
                Math.max(1, alive.toSeconds()));
    }

    public void reportHealth(Connection c, String workerId, ConnectionHealth health) throws SQLException {
        Sql.update(
                c,
                "INSERT INTO sf_worker_health (worker_id, losses, heals, evictions,"
                        + " gave_up, last_heal, updated_at) VALUES (?, ?, ?, ?, ?, ?, NOW(3)) ON DUPLICATE KEY UPDATE"
                        + " losses = VALUES(losses), heals = VALUES(heals), evictions = VALUES(evictions),"
                        + " gave_up = VALUES(gave_up), last_heal = VALUES(last_heal), updated_at = NOW(3)",
                workerId,
                health.losses(),
                health.heals(),
                health.evictions(),
                health.gaveUp(),
                Sql.nullAs(health.lastHeal(), Types.TIMESTAMP));
    }

    public void removeWorker(Connection c, String workerId) throws SQLException {
        Sql.update(c, "DELETE FROM sf_worker WHERE id = ?", workerId);
        Sql.update(c, "DELETE FROM sf_worker_health WHERE worker_id = ?", workerId);
    }

    /** Workers with a heartbeat in the last day, newest first; alive when the last one is within {@code alive}. */
    public List<WorkerView> workers(Connection c, Duration alive) throws SQLException {
        Map<String, List<Long>> jobs = new HashMap<>();
        for (Map.Entry<String, Long> held : Sql.list(
                c,
                "SELECT lease_owner, id FROM sf_job WHERE state = " + RUNNING + " ORDER BY id",
                rs -> Map.entry(rs.getString("lease_owner"), rs.getLong("id")))) {
            jobs.computeIfAbsent(held.getKey(), k -> new ArrayList<>()).add(held.getValue());
        }
        return Sql.list(
                c,
                "SELECT w.id, w.host, w.queues, w.started_at, w.last_heartbeat, w.stuck_jobs,"
                        + " w.last_heartbeat > NOW(3) - INTERVAL ? SECOND AS alive, COALESCE(h.losses, 0) AS losses,"
                        + " COALESCE(h.heals, 0) AS heals, COALESCE(h.evictions, 0) AS evictions, COALESCE(h.gave_up, 0) AS gave_up,"
                        + " h.last_heal, COALESCE(r.jobs, 0) AS jobs, COALESCE(r.failed, 0) AS failed FROM sf_worker w"
                        + " LEFT JOIN sf_worker_health h ON h.worker_id = w.id LEFT JOIN sf_worker_record r ON r.worker_id = w.id"
                        + " WHERE w.last_heartbeat > NOW(3) - INTERVAL 1 DAY ORDER BY w.last_heartbeat DESC",
                rs -> {
                    String id = rs.getString("id");
                    ConnectionHealth health = new ConnectionHealth(
                            rs.getLong("losses"),
                            rs.getLong("heals"),
                            rs.getLong("evictions"),
                            rs.getLong("gave_up"),
                            Sql.instant(rs.getTimestamp("last_heal")),
                            null);
                    return new WorkerView(
                            id,
                            rs.getString("host"),
                            rs.getString("queues"),
                            Sql.instant(rs.getTimestamp("started_at")),
                            Sql.instant(rs.getTimestamp("last_heartbeat")),
                            rs.getBoolean("alive"),
                            List.copyOf(jobs.getOrDefault(id, List.of())),
                            health,
                            rs.getInt("stuck_jobs"),
                            rs.getLong("jobs"),
                            rs.getLong("failed"),
                            null);
                },
                alive.toSeconds());
    }

    /** Says which job types the worker handles (written once: a worker's handlers do not change while it runs). */
    public void publishTypes(Connection c, String workerId, Collection<String> types) throws SQLException {
        Sql.update(c, "UPDATE sf_worker SET types = ? WHERE id = ?", String.join(",", types), workerId);
    }

    /** Workers that stopped cleanly within {@code within}, last stopped first, with what they ran. */
    public List<WorkerView> stoppedWorkers(Connection c, Duration within) throws SQLException {
        // a worker that stopped cleanly left sf_worker; its record says what it ran
        return Sql.list(
                c,
                "SELECT r.worker_id, r.host, r.queues, r.started_at, r.updated_at, r.jobs,"
                        + " r.failed, r.stopped_at FROM sf_worker_record r WHERE r.stopped_at > TIMESTAMPADD(MICROSECOND, ?, NOW(3))"
                        + " AND NOT EXISTS (SELECT 1 FROM sf_worker w WHERE w.id = r.worker_id) ORDER BY r.stopped_at DESC LIMIT 200",
                rs -> new WorkerView(
                        rs.getString("worker_id"),
                        rs.getString("host"),
                        rs.getString("queues"),
                        Sql.instant(rs.getTimestamp("started_at")),
                        Sql.instant(rs.getTimestamp("updated_at")),
                        false,
                        List.of(),
                        new ConnectionHealth(0, 0, 0, 0, null, null),
                        0,
                        rs.getLong("jobs"),
                        rs.getLong("failed"),
                        Sql.instant(rs.getTimestamp("stopped_at"))),
                -Sql.micros(within));
    }

    /** Records what a worker ran so far (and, {@code stopped}, that it stopped). */
    public void recordWork(
            Connection c, String workerId, String host, String queues, long jobs, long failed, boolean stopped)
            throws SQLException {
        Sql.update(
                c,
                "INSERT INTO sf_worker_record (worker_id, host, queues, started_at, jobs,"
                        + " failed, stopped_at, updated_at) VALUES (?, ?, ?, NOW(3), ?, ?, IF(?, NOW(3), NULL), NOW(3)) ON DUPLICATE KEY"
                        + " UPDATE jobs = VALUES(jobs), failed = VALUES(failed), stopped_at = VALUES(stopped_at), updated_at = NOW(3)",
                workerId,
                host,
                queues,
                jobs,
                failed,
                stopped);
    }

    /** Workers whose last heartbeat is within {@code alive}: what they serve. */
    public List<LiveWorker> liveWorkerRoles(Connection c, Duration alive) throws SQLException {
        return Sql.list(
                c,
                "SELECT queues, types FROM sf_worker WHERE last_heartbeat > NOW(3) - INTERVAL ? SECOND",
                rs -> {
                    String types = rs.getString("types");
                    return new LiveWorker(
                            List.of(rs.getString("queues").split(",")),
                            types == null ? null : types.isEmpty() ? List.of() : List.of(types.split(",")));
                },
                Math.max(1, alive.toSeconds()));
    }

    /** How many workers have a heartbeat within {@code alive}. */
    public long liveWorkers(Connection c, Duration alive) throws SQLException {
        return Sql.one(
                c,
                "SELECT COUNT(*) AS n FROM sf_worker WHERE last_heartbeat > NOW(3) - INTERVAL ? SECOND",
                rs -> rs.getLong("n"),
                alive.toSeconds());
    }

    /** Deletes the records of workers not heard of for longer than {@code kept}; returns how many. */
    public int forgetWorkerRecords(Connection c, Duration kept) throws SQLException {
        return Sql.update(
                c,
                "DELETE FROM sf_worker_record WHERE updated_at < TIMESTAMPADD(MICROSECOND, ?," + " NOW(3)) LIMIT 1000",
                -Sql.micros(kept));
    }
}
