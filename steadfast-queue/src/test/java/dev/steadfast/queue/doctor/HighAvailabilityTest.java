package dev.steadfast.queue.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.jdbc.Servers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The doctor's cluster and replica rules, on roles as servers report them (HighAvailabilityDoctorIT runs real ones). */
class HighAvailabilityTest {
    private static final Servers TWO = new Servers(List.of("db1:3306", "db2:3306"), true, 0);
    private static final Servers THREE = new Servers(List.of("n1:3306", "n2:3306", "n3:3306"), true, 0);

    private static ServerRole primary() {
        return new ServerRole("db1:3306", null, false, Map.of(), Map.of(), false);
    }

    private static ServerRole replica(String io, String sql, String lag, boolean readOnly) {
        return new ServerRole(
                "db2:3306",
                null,
                readOnly,
                Map.of(),
                Map.of(
                        "slave_io_running",
                        io,
                        "slave_sql_running",
                        sql,
                        "seconds_behind_master",
                        lag,
                        "master_host",
                        "db1",
                        "master_port",
                        "3306",
                        "using_gtid",
                        "Slave_Pos"),
                false);
    }

    private static ServerRole node(
            String name, String size, String status, String state, String syncWait, boolean view) {
        return new ServerRole(
                name,
                null,
                false,
                Map.of(
                        "wsrep_on",
                        "ON",
                        "wsrep_ready",
                        "Primary".equals(status) ? "ON" : "OFF",
                        "wsrep_cluster_size",
                        size,
                        "wsrep_cluster_status",
                        status,
                        "wsrep_local_state_comment",
                        state,
                        "wsrep_sync_wait",
                        syncWait,
                        "wsrep_cluster_name",
                        "c"),
                Map.of(),
                view);
    }

    private static Finding finding(List<Finding> findings, String check) {
        return findings.stream()
                .filter(f -> f.check().equals(check))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void replicasByThreadsLagAndReadOnly() {
        assertThat(finding(
                                HighAvailability.of(TWO, List.of(primary(), replica("Yes", "Yes", "0", true))),
                                "replication")
                        .severity())
                .isEqualTo(Severity.OK);
        assertThat(finding(HighAvailability.of(TWO, List.of(primary(), replica("Yes", "No", "0", true))), "replication")
                        .severity())
                .isEqualTo(Severity.ERROR);
        Finding lagging =
                finding(HighAvailability.of(TWO, List.of(primary(), replica("Yes", "Yes", "95", true))), "replication");
        assertThat(lagging.severity()).isEqualTo(Severity.WARN);
        assertThat(lagging.observed()).contains("95 s behind");
        assertThat(finding(
                                HighAvailability.of(TWO, List.of(primary(), replica("Yes", "Yes", "0", false))),
                                "replication")
                        .observed())
                .contains("writable replica");
        assertThat(finding(HighAvailability.of(TWO, List.of(primary(), replica("Yes", "Yes", "0", true))), "failover")
                        .fix())
                .contains("rpl_semi_sync_master_enabled");
    }

    @Test
    void aWriterThatIsReadOnlyOrUnreachableIsAnError() {
        ServerRole readOnly = new ServerRole("db1:3306", null, true, Map.of(), Map.of(), false);
        assertThat(finding(HighAvailability.of(TWO, List.of(readOnly, replica("Yes", "Yes", "0", true))), "servers")
                        .severity())
                .isEqualTo(Severity.ERROR);
        ServerRole gone = new ServerRole("db2:3306", "Connection refused", false, Map.of(), Map.of(), false);
        Finding degraded = finding(HighAvailability.of(TWO, List.of(primary(), gone)), "servers");
        assertThat(degraded.severity()).isEqualTo(Severity.WARN);
        assertThat(degraded.observed()).contains("db2:3306 unreachable (Connection refused)");
    }

    @Test
    void galeraQuorumCausalReadsAndTheClusterView() {
        List<ServerRole> healthy = List.of(
                node("n1:3306", "3", "Primary", "Synced", "0", true),
                node("n2:3306", "3", "Primary", "Synced", "0", true),
                node("n3:3306", "3", "Primary", "Synced", "0", true));
        List<Finding> ok = HighAvailability.of(THREE, healthy);
        assertThat(ok).filteredOn(f -> f.severity() != Severity.OK).isEmpty();

        List<Finding> two = HighAvailability.of(
                THREE,
                List.of(
                        node("n1:3306", "2", "Primary", "Synced", "1", false),
                        node("n2:3306", "2", "Primary", "Synced", "1", false),
                        node("n3:3306", "?", "non-Primary", "Initialized", "0", false)));
        assertThat(finding(two, "galera").severity()).isEqualTo(Severity.WARN);
        assertThat(finding(two, "servers").severity()).isEqualTo(Severity.WARN);
        assertThat(finding(two, "wsrep_sync_wait").severity()).isEqualTo(Severity.INFO);
        assertThat(two)
                .filteredOn(f -> f.severity() != Severity.OK)
                .allSatisfy(f -> assertThat(f.fix()).as(f.toString()).isNotBlank());
        assertThat(finding(two, "cluster view").fix()).contains("GRANT SELECT ON mysql.wsrep_cluster_members");

        Servers one = new Servers(List.of("n1:3306"), false, 0);
        List<Finding> cutOff =
                HighAvailability.of(one, List.of(node("n1:3306", "1", "non-Primary", "Initialized", "0", true)));
        assertThat(finding(cutOff, "galera").severity()).isEqualTo(Severity.ERROR);
        Servers spread = new Servers(List.of("n1,n2,n3"), false, 0);
        assertThat(finding(HighAvailability.of(spread, List.of(healthy.get(0))), "galera writers")
                        .observed())
                .contains("certification");
    }
}
