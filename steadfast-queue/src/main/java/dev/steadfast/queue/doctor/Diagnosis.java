package dev.steadfast.queue.doctor;

import dev.steadfast.jdbc.PoolSettings;
import dev.steadfast.jdbc.ServerTimeouts;
import dev.steadfast.queue.Migrations;
import dev.steadfast.queue.QueueFacts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns what was read from the server into findings, each with the fix. Pure: every input is passed
 * in, so each rule is testable without a server.
 */
final class Diagnosis {
    /** HikariCP will not recycle or keep alive a connection more often than every 30 s. */
    static final Duration HIKARI_MINIMUM = Duration.ofSeconds(30);

    private static final Duration COMFORTABLE_WAIT_TIMEOUT = Duration.ofMinutes(5);
    private static final long MB = 1024 * 1024;

    private final List<Finding> findings = new ArrayList<>();

    private Diagnosis() {}

    /**
     * @param queue null when the queue's tables do not exist yet
     */
    static List<Finding> of(
            ServerFacts server,
            ServerTimeouts timeouts,
            PoolSettings pool,
            Duration lease,
            Migrations.SchemaStatus schema,
            QueueFacts queue,
            long jvmUtcOffsetSecs) {
        Diagnosis d = new Diagnosis();
        d.version(timeouts);
        d.waitTimeout(timeouts);
        d.netTimeouts(timeouts);
        d.pool(timeouts, pool);
        d.lease(lease, timeouts);
        d.packet(timeouts, queue);
        d.lockWait(server);
        d.clock(server, jvmUtcOffsetSecs);
        d.schema(schema);
        if (queue != null) {
            d.backlog(queue);
        }
        return List.copyOf(d.findings);
    }

    private void add(Severity severity, String check, String observed, String fix) {
        findings.add(new Finding(severity, check, observed, fix));
    }

    private void version(ServerTimeouts t) {
        String observed = t.flavour() + " " + t.version();
        if (t.supportsSkipLocked()) {
            add(Severity.OK, "server version", observed + ", supports SELECT ... FOR UPDATE SKIP LOCKED", "");
        } else {
            add(
                    Severity.ERROR,
                    "server version",
                    observed + " has no SKIP LOCKED: workers cannot claim jobs",
                    "upgrade to MariaDB 10.6+ or MySQL 8.0+");
        }
    }

    private void waitTimeout(ServerTimeouts t) {
        long global = t.globalWaitTimeout().toSeconds();
        long session = t.sessionWaitTimeout().toSeconds();
        String observed = "wait_timeout " + session + " s" + (global != session ? " (global " + global + " s)" : "")
                + ", interactive_timeout " + t.interactiveTimeout().toSeconds() + " s";
        String fix = "SET GLOBAL wait_timeout = 28800; and in my.cnf under [mysqld]: wait_timeout = 28800"
                + " (8 h, the default), so idle connections live longer than the pool keeps them";
        if (t.sessionWaitTimeout().compareTo(HIKARI_MINIMUM) < 0) {
            add(
                    Severity.ERROR,
                    "wait_timeout",
                    observed + ": the server closes idle connections before the pool can"
                            + " recycle or keep them alive (HikariCP's minimum is 30 s); every idle connection dies and any"
                            + " other long-lived client of this server gets 'MySQL server has gone away'",
                    fix);
        } else if (t.sessionWaitTimeout().compareTo(COMFORTABLE_WAIT_TIMEOUT) < 0) {
            add(
                    Severity.WARN,
                    "wait_timeout",
                    observed + ": short; Steadfast recycles connections below it, but"
                            + " other clients that idle longer will see 'gone away'",
                    fix);
        } else {
            add(Severity.OK, "wait_timeout", observed, "");
        }
    }

    private void netTimeouts(ServerTimeouts t) {
        long read = t.netReadTimeout().toSeconds();
        long write = t.netWriteTimeout().toSeconds();
        String observed = "net_read_timeout " + read + " s, net_write_timeout " + write + " s";
        if (read < 30 || write < 30) {
            add(
                    Severity.WARN,
                    "net timeouts",
                    observed + ": large payloads over a slow network can be cut off"
                            + " ('Lost connection to MySQL server during query')",
                    "SET GLOBAL net_read_timeout = 30; SET GLOBAL net_write_timeout = 60;");
        } else {
            add(Severity.OK, "net timeouts", observed, "");
        }
    }

    private void pool(ServerTimeouts t, PoolSettings pool) {
        String observed = "maxLifetime " + pool.maxLifetime().toSeconds() + " s, keepaliveTime "
                + pool.keepaliveTime().toSeconds() + " s, idleTimeout "
                + pool.idleTimeout().toSeconds() + " s";
        if (pool.maxLifetime().compareTo(t.sessionWaitTimeout()) >= 0) {
            add(
                    Severity.WARN,
                    "pool",
                    observed + ": connections can outlive wait_timeout "
                            + t.sessionWaitTimeout().toSeconds()
                            + " s; Steadfast's liveness check on borrow replaces them,"
                            + " at the cost of a reconnect each time",
                    "raise wait_timeout (see above)");
        } else {
            add(
                    Severity.OK,
                    "pool",
                    observed + ", all below wait_timeout "
                            + t.sessionWaitTimeout().toSeconds() + " s",
                    "");
        }
    }

    private void lease(Duration lease, ServerTimeouts t) {
        Duration heartbeat = lease.dividedBy(3);
        add(
                Severity.OK,
                "leases",
                "lease " + lease.toSeconds() + " s, renewed every " + heartbeat.toSeconds()
                        + " s while a job runs; a crashed worker's jobs return to the queue after at most "
                        + lease.toSeconds() + " s",
                "");
        if (t.netWriteTimeout().compareTo(lease) > 0) {
            add(
                    Severity.INFO,
                    "leases",
                    "net_write_timeout " + t.netWriteTimeout().toSeconds()
                            + " s exceeds the lease: a heartbeat stuck on a dead network can outlast its lease",
                    "SET GLOBAL net_write_timeout = " + Math.max(1, lease.toSeconds() / 2)
                            + " (below the lease), or a --lease above "
                            + t.netWriteTimeout().toSeconds() + "s for workers and doctor");
        }
    }

    private void packet(ServerTimeouts t, QueueFacts queue) {
        long max = t.maxAllowedPacket();
        long largest = queue == null ? 0 : queue.largestPendingPayload();
        String observed = "max_allowed_packet " + bytes(max)
                + (queue == null ? "" : ", largest pending payload " + bytes(largest));
        String fix = "SET GLOBAL max_allowed_packet = " + Math.max(64 * MB, 4 * largest)
                + "; (and in my.cnf), or keep large" + " data out of payloads (store a reference)";
        if (largest > 0 && largest >= max) {
            add(Severity.ERROR, "max_allowed_packet", observed + ": that job cannot be read back by a worker", fix);
        } else if (largest > 0 && largest * 2 >= max) {
            add(
                    Severity.WARN,
                    "max_allowed_packet",
                    observed + ": escaped, such a payload may not fit in one packet",
                    fix);
        } else if (max < 4 * MB) {
            add(Severity.WARN, "max_allowed_packet", observed + ": small; payloads over it are refused", fix);
        } else {
            add(Severity.OK, "max_allowed_packet", observed, "");
        }
    }

    private void lockWait(ServerFacts server) {
        long wait = server.sessionLong("innodb_lock_wait_timeout");
        String observed = "innodb_lock_wait_timeout " + wait + " s";
        if (wait > 120) {
            add(
                    Severity.WARN,
                    "lock waits",
                    observed + ": a transaction stuck on a lock holds a worker thread that long"
                            + " (claims skip locked rows, outcome writes do not)",
                    "SET GLOBAL innodb_lock_wait_timeout = 50;");
        } else {
            add(Severity.OK, "lock waits", observed, "");
        }
    }

    private void clock(ServerFacts server, long jvmUtcOffsetSecs) {
        String zone = "time_zone " + server.session().getOrDefault("time_zone", "?") + " (system "
                + server.global().getOrDefault("system_time_zone", "?") + ", UTC" + offset(server.utcOffsetSecs())
                + "), this machine UTC" + offset(jvmUtcOffsetSecs) + ", clock difference " + server.clockSkewMs()
                + " ms";
        if (Math.abs(server.clockSkewMs()) > 5_000) {
            add(
                    Severity.WARN,
                    "clock",
                    zone + ": the clocks disagree; run_at and leases use the database clock, so jobs"
                            + " are safe, but times shown here and in your logs will not line up",
                    "run NTP (chrony) on both hosts");
        } else if (server.utcOffsetSecs() != jvmUtcOffsetSecs) {
            add(
                    Severity.INFO,
                    "clock",
                    zone + ": different time zones; Steadfast schedules on the database clock",
                    "nothing for the jobs; for times that line up in logs, run both in one zone (TZ=UTC for workers,"
                            + " default_time_zone = '+00:00' in the server's configuration)");
        } else {
            add(Severity.OK, "clock", zone, "");
        }
    }

    private void schema(Migrations.SchemaStatus schema) {
        if (schema.upToDate()) {
            add(Severity.OK, "schema", "version " + schema.current() + " (latest)", "");
        } else {
            add(
                    Severity.WARN,
                    "schema",
                    "version " + schema.current() + ", " + schema.pending() + " migration(s) pending",
                    "steadfast migrate (or start a worker with 'steadfast work --migrate')");
        }
    }

    private void backlog(QueueFacts queue) {
        String observed = queue.duePending() + " job(s) due, oldest waiting " + queue.oldestDueSeconds() + " s; "
                + queue.expiredLeases() + " running job(s) with an expired lease; " + queue.failed()
                + " in the failed-job log";
        if (queue.oldestDueSeconds() > 600) {
            add(
                    Severity.WARN,
                    "backlog",
                    observed + ": jobs wait more than 10 minutes",
                    "start more workers or raise --concurrency");
        } else if (queue.failed() > 0) {
            add(Severity.INFO, "backlog", observed, "steadfast failed list");
        } else {
            add(Severity.OK, "backlog", observed, "");
        }
    }

    private static String offset(long seconds) {
        return String.format(
                "%s%02d:%02d", seconds < 0 ? "-" : "+", Math.abs(seconds) / 3600, Math.abs(seconds) % 3600 / 60);
    }

    private static String bytes(long n) {
        return n >= MB ? (n / MB) + " MB" : n >= 1024 ? (n / 1024) + " KB" : n + " B";
    }
}
