package dev.steadfast.queue.doctor;

import dev.steadfast.jdbc.PoolSettings;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.jdbc.ServerTimeouts;
import dev.steadfast.jdbc.Servers;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.Migrations;
import dev.steadfast.queue.MissingPrivilegeException;
import dev.steadfast.queue.QueueFacts;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/** The doctor's examination of one database: findings plus the raw facts behind them. */
public final class DoctorReport {
    private final ServerFacts server;
    private final ServerTimeouts timeouts;
    private final PoolSettings pool;
    private final List<Finding> findings;

    private DoctorReport(ServerFacts server, ServerTimeouts timeouts, PoolSettings pool, List<Finding> findings) {
        this.server = server;
        this.timeouts = timeouts;
        this.pool = pool;
        this.findings = findings;
    }

    /** Reads the server and the queue's tables (changing nothing) and diagnoses them. */
    public static DoctorReport examine(JobQueue jobs, Duration lease) throws SQLException {
        ResilientDatabase db = jobs.database();
        ServerFacts server = db.read(ServerFacts::read);
        Migrations.SchemaStatus schema = Migrations.status(db.dataSource());
        QueueFacts queue = jobs.facts().orElse(null);
        long jvmOffset = ZonedDateTime.now().getOffset().getTotalSeconds();
        List<Finding> findings = new ArrayList<>(
                Diagnosis.of(server, db.serverTimeouts(), db.poolSettings(), lease, schema, queue, jvmOffset));
        Servers servers = db.servers();
        List<ServerRole> roles = IntStream.range(0, servers.addresses().size())
                .mapToObj(i -> ServerRole.read(db, servers, i))
                .toList();
        findings.addAll(HighAvailability.of(servers, roles));
        if (queue != null && schema.upToDate()) { // the probe names every table a worker writes
            findings.add(writePrivileges(jobs));
        }
        if (queue != null && schema.upToDate()) { // workers publish their types from schema 12 on
            findings.addAll(StrandedFindings.of(jobs.stranded(), queue));
        }
        return new DoctorReport(server, db.serverTimeouts(), db.poolSettings(), findings);
    }

    /** Whether this user may write the queue's tables as workers and enqueuers do (statements that change no row). */
    private static Finding writePrivileges(JobQueue jobs) throws SQLException {
        Optional<MissingPrivilegeException> missing = jobs.missingWritePrivilege();
        if (missing.isEmpty()) {
            return new Finding(
                    Severity.OK,
                    "write privileges",
                    "this user may write the queue's tables (SELECT, INSERT," + " UPDATE, DELETE)",
                    "");
        }
        return new Finding(
                Severity.ERROR,
                "write privileges",
                "user " + missing.get().user() + ": " + missing.get().denied()
                        + "; workers cannot claim jobs and commands cannot enqueue or change jobs",
                missing.get().grant() + " (a read-only user is fine for stats, doctor and 'serve --read-only')");
    }

    public List<Finding> findings() {
        return findings;
    }

    public Severity worst() {
        return findings.stream()
                .map(Finding::severity)
                .max(Comparator.naturalOrder())
                .orElse(Severity.OK);
    }

    public void print(PrintWriter out) {
        out.println("steadfast doctor: " + timeouts.flavour() + " " + timeouts.version());
        out.println();
        for (Finding f : findings) {
            out.printf("%-5s  %-18s %s%n", f.severity(), f.check(), f.observed());
            if (!f.fix().isEmpty()) {
                out.printf("       %-18s fix: %s%n", "", f.fix());
            }
        }
        out.println();
        long errors =
                findings.stream().filter(f -> f.severity() == Severity.ERROR).count();
        long warnings =
                findings.stream().filter(f -> f.severity() == Severity.WARN).count();
        out.println(
                errors > 0
                        ? errors + " problem(s) will cause failures; " + warnings + " warning(s)."
                        : warnings > 0 ? "No failures expected; " + warnings + " warning(s)." : "All good.");
    }

    public Map<String, Object> toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("ok", worst() != Severity.ERROR);
        root.put("worst", worst().name());
        // LinkedHashMaps: the fields in the same order on every run (Map.of's order changes from one JVM to the next)
        Map<String, Object> serverJson = new LinkedHashMap<>();
        serverJson.put("flavour", timeouts.flavour().name());
        serverJson.put("version", timeouts.version());
        serverJson.put("skip_locked", timeouts.supportsSkipLocked());
        root.put("server", serverJson);
        root.put(
                "findings",
                findings.stream()
                        .map(f -> {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("severity", f.severity().name());
                            m.put("check", f.check());
                            m.put("observed", f.observed());
                            m.put("fix", f.fix());
                            return m;
                        })
                        .toList());
        root.put("global_variables", server.global());
        root.put("session_variables", server.session());
        Map<String, Object> poolJson = new LinkedHashMap<>();
        poolJson.put("max_lifetime_ms", pool.maxLifetime().toMillis());
        poolJson.put("keepalive_time_ms", pool.keepaliveTime().toMillis());
        poolJson.put("idle_timeout_ms", pool.idleTimeout().toMillis());
        root.put("pool", poolJson);
        root.put("clock_skew_ms", server.clockSkewMs());
        return root;
    }
}
