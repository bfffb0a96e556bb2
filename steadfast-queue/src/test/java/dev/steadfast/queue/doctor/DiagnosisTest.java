package dev.steadfast.queue.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.jdbc.PoolSettings;
import dev.steadfast.jdbc.ServerFlavour;
import dev.steadfast.jdbc.ServerTimeouts;
import dev.steadfast.queue.Migrations;
import dev.steadfast.queue.QueueFacts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The doctor's rules, one at a time, on facts as a server would report them. */
class DiagnosisTest {
    private static final long MB = 1024 * 1024;
    private static final Migrations.SchemaStatus CURRENT = new Migrations.SchemaStatus("1", "1", 0);
    private static final PoolSettings POOL =
            new PoolSettings(Duration.ofMinutes(30), Duration.ofMinutes(2), Duration.ofMinutes(10));

    private static ServerTimeouts timeouts(long waitTimeout, long maxPacket, String version, ServerFlavour flavour) {
        return new ServerTimeouts(
                Duration.ofSeconds(waitTimeout),
                Duration.ofSeconds(waitTimeout),
                Duration.ofSeconds(28800),
                Duration.ofSeconds(30),
                Duration.ofSeconds(60),
                maxPacket,
                version,
                flavour);
    }

    private static ServerFacts facts(long lockWait, long skewMs) {
        return new ServerFacts(
                Map.of("system_time_zone", "UTC"),
                Map.of("innodb_lock_wait_timeout", Long.toString(lockWait), "time_zone", "SYSTEM"),
                skewMs,
                0);
    }

    private static Finding finding(List<Finding> findings, String check) {
        return findings.stream()
                .filter(f -> f.check().equals(check))
                .findFirst()
                .orElseThrow();
    }

    private static List<Finding> diagnose(ServerTimeouts t, QueueFacts queue) {
        return Diagnosis.of(facts(50, 0), t, POOL, Duration.ofSeconds(30), CURRENT, queue, 0);
    }

    @Test
    void waitTimeoutBelowWhatThePoolCanFollowIsAnError() {
        assertThat(finding(
                                diagnose(timeouts(10, 64 * MB, "11.4.5-MariaDB", ServerFlavour.MARIADB), null),
                                "wait_timeout")
                        .severity())
                .isEqualTo(Severity.ERROR);
        assertThat(finding(
                                diagnose(timeouts(120, 64 * MB, "11.4.5-MariaDB", ServerFlavour.MARIADB), null),
                                "wait_timeout")
                        .severity())
                .isEqualTo(Severity.WARN);
        Finding ok = finding(
                diagnose(timeouts(28800, 64 * MB, "11.4.5-MariaDB", ServerFlavour.MARIADB), null), "wait_timeout");
        assertThat(ok.severity()).isEqualTo(Severity.OK);
        assertThat(ok.fix()).isEmpty();
    }

    @Test
    void serversWithoutSkipLockedCannotRunWorkers() {
        assertThat(finding(diagnose(timeouts(28800, 64 * MB, "5.7.44", ServerFlavour.MYSQL), null), "server version")
                        .severity())
                .isEqualTo(Severity.ERROR);
        assertThat(finding(diagnose(timeouts(28800, 64 * MB, "8.0.36", ServerFlavour.MYSQL), null), "server version")
                        .severity())
                .isEqualTo(Severity.OK);
    }

    @Test
    void payloadsAreWeighedAgainstMaxAllowedPacket() {
        ServerTimeouts t = timeouts(28800, 16 * MB, "11.4.5-MariaDB", ServerFlavour.MARIADB);
        assertThat(finding(diagnose(t, new QueueFacts(20 * MB, 1, 0, 0, 0)), "max_allowed_packet")
                        .severity())
                .isEqualTo(Severity.ERROR);
        assertThat(finding(diagnose(t, new QueueFacts(9 * MB, 1, 0, 0, 0)), "max_allowed_packet")
                        .severity())
                .isEqualTo(Severity.WARN);
        assertThat(finding(diagnose(t, new QueueFacts(1024, 1, 0, 0, 0)), "max_allowed_packet")
                        .severity())
                .isEqualTo(Severity.OK);
    }

    @Test
    void poolOutlivingWaitTimeoutAndLongLockWaitsAndSkewedClocksAreWarnings() {
        ServerTimeouts t = timeouts(600, 64 * MB, "11.4.5-MariaDB", ServerFlavour.MARIADB);
        assertThat(finding(diagnose(t, null), "pool").severity()).isEqualTo(Severity.WARN);
        List<Finding> findings = Diagnosis.of(facts(600, 30_000), t, POOL, Duration.ofSeconds(30), CURRENT, null, 0);
        assertThat(finding(findings, "lock waits").severity()).isEqualTo(Severity.WARN);
        assertThat(finding(findings, "clock").severity()).isEqualTo(Severity.WARN);
    }

    /** INFO, WARN and ERROR findings each say what to do: a net_write_timeout above the lease, another time zone... */
    @Test
    void everyFindingThatIsNotOkSaysWhatToDo() {
        ServerTimeouts t = timeouts(600, 64 * MB, "11.4.5-MariaDB", ServerFlavour.MARIADB);
        ServerFacts otherZone = new ServerFacts(
                Map.of("system_time_zone", "CET"),
                Map.of("innodb_lock_wait_timeout", "600", "time_zone", "SYSTEM"),
                30_000,
                3600);
        List<Finding> findings = new ArrayList<>(Diagnosis.of(
                otherZone,
                t,
                POOL,
                Duration.ofSeconds(5),
                new Migrations.SchemaStatus("none", "1", 1),
                new QueueFacts(10, 500, 3600, 2, 7),
                0));
        findings.addAll(Diagnosis.of(
                new ServerFacts(
                        Map.of("system_time_zone", "CET"),
                        Map.of("innodb_lock_wait_timeout", "50", "time_zone", "SYSTEM"),
                        0,
                        3600),
                t,
                POOL,
                Duration.ofSeconds(5),
                CURRENT,
                new QueueFacts(10, 1, 0, 0, 3),
                0));
        assertThat(findings)
                .filteredOn(f -> f.severity() == Severity.INFO)
                .extracting(Finding::check)
                .contains("leases", "clock", "backlog");
        assertThat(findings)
                .filteredOn(f -> f.severity() != Severity.OK)
                .allSatisfy(f -> assertThat(f.fix()).as(f.toString()).isNotBlank());
    }

    @Test
    void pendingMigrationsAndAStaleBacklogAreWarnings() {
        ServerTimeouts t = timeouts(28800, 64 * MB, "11.4.5-MariaDB", ServerFlavour.MARIADB);
        List<Finding> findings = Diagnosis.of(
                facts(50, 0),
                t,
                POOL,
                Duration.ofSeconds(30),
                new Migrations.SchemaStatus("none", "1", 1),
                new QueueFacts(10, 500, 3600, 2, 7),
                0);
        assertThat(finding(findings, "schema").fix())
                .isEqualTo("steadfast migrate (or start a worker with 'steadfast work --migrate')");
        assertThat(finding(findings, "backlog").severity()).isEqualTo(Severity.WARN);
        assertThat(finding(findings, "backlog").observed())
                .contains("500 job(s) due, oldest waiting 3600 s", "2 running job(s) with an expired lease");
    }
}
