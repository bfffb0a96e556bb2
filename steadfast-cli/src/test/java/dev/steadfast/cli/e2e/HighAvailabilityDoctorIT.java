package dev.steadfast.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.testkit.GaleraCluster;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.ReplicatedPair;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code steadfast doctor} on a Galera cluster and on a primary with a replica, through the jar. */
class HighAvailabilityDoctorIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void galeraClusterStateWritersAndCausalReads() throws Exception {
        GaleraCluster cluster = GaleraCluster.forTests();
        Cli cli = CliTestSupport.against(dir, cluster.node(1));

        JsonNode listed = doctor(cli, cluster.url(JdbcDriver.MARIADB));
        assertThat(finding(listed, "servers").path("severity").asText()).isEqualTo("OK");
        assertThat(finding(listed, "servers").path("observed").asText())
                .contains("3 servers, one writer chosen by Steadfast, writing through 127.0.0.1:"
                        + cluster.node(1).port());
        assertThat(finding(listed, "galera").path("severity").asText()).isEqualTo("OK");
        assertThat(finding(listed, "galera").path("observed").asText())
                .contains("3 node(s), Primary, this node Synced");
        assertThat(finding(listed, "galera writers").path("observed").asText()).contains("one writer among 3 nodes");
        assertThat(finding(listed, "wsrep_sync_wait").path("observed").asText()).startsWith("0:");

        JsonNode single = doctor(cli, cluster.node(2).url(JdbcDriver.MYSQL));
        assertThat(finding(single, "galera writers").path("severity").asText()).isEqualTo("WARN");
        assertThat(finding(single, "galera writers").path("observed").asText()).contains("the URL names one node of 3");
        assertThat(finding(single, "galera writers").path("fix").asText()).contains("jdbc:mariadb://n1,n2,n3/db");

        String spread = cluster.url(JdbcDriver.MARIADB).replace("jdbc:mariadb://", "jdbc:mariadb:loadbalance://");
        JsonNode multi = doctor(cli, spread);
        assertThat(finding(multi, "galera writers").path("severity").asText()).isEqualTo("WARN");
        assertThat(finding(multi, "galera writers").path("observed").asText()).contains("certification");

        cluster.node(3).isolate();
        try {
            cluster.node(2).awaitClusterSize(2, Duration.ofSeconds(30)); // the others have evicted it
            JsonNode degraded = doctor(cli, cluster.url(JdbcDriver.MARIADB));
            assertThat(finding(degraded, "servers").path("severity").asText()).isEqualTo("WARN");
            assertThat(finding(degraded, "servers").path("observed").asText())
                    .containsPattern("127\\.0\\.0\\.1:" + cluster.node(3).port() + " Galera (?!Synced)");
            assertThat(finding(degraded, "galera").path("severity").asText()).isEqualTo("WARN");
            assertThat(finding(degraded, "galera").path("observed").asText())
                    .contains("2 node(s)")
                    .contains("loses the quorum");
        } finally {
            cluster.heal();
        }
    }

    @Test
    void replicaThreadsLagAndTheFailoverCaveat() throws Exception {
        try (ReplicatedPair pair = ReplicatedPair.start()) {
            Cli cli = CliTestSupport.against(dir, pair.primary());
            JsonNode healthy = doctor(cli, pair.url(JdbcDriver.MARIADB));
            assertThat(finding(healthy, "servers").path("observed").asText())
                    .contains("2 servers")
                    .contains("127.0.0.1:" + pair.replica().port() + " read-only");
            JsonNode replication = finding(healthy, "replication");
            assertThat(replication.path("severity").asText()).isEqualTo("OK");
            assertThat(replication.path("observed").asText())
                    .contains("replicates from 127.0.0.1:" + pair.primary().port())
                    .contains("IO Yes, SQL Yes")
                    .contains("GTID Slave_Pos");
            assertThat(finding(healthy, "failover").path("fix").asText()).contains("rpl_semi_sync_master_enabled");

            pair.replica().execute("STOP SLAVE SQL_THREAD");
            JsonNode stopped = doctor(cli, pair.url(JdbcDriver.MYSQL));
            assertThat(finding(stopped, "replication").path("severity").asText())
                    .isEqualTo("ERROR");
            assertThat(finding(stopped, "replication").path("observed").asText())
                    .contains("replication stopped");
        }
    }

    private static JsonNode doctor(Cli cli, String url) throws Exception {
        Cli.Result result = cli.run("doctor", "--url", url, "--json");
        assertThat(result.err()).as(result.toString()).doesNotContain("Exception");
        return JSON.readTree(result.out());
    }

    private static JsonNode finding(JsonNode report, String check) {
        for (JsonNode f : report.path("findings")) {
            if (f.path("check").asText().equals(check)) {
                return f;
            }
        }
        throw new AssertionError("no finding '" + check + "' in " + report.path("findings"));
    }
}
