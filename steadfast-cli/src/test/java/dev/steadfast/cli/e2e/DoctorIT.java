package dev.steadfast.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code steadfast doctor}: the incident's first fix, as a tool. */
class DoctorIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aWaitTimeoutThatKillsIdleConnectionsIsAnErrorWithItsFix() throws Exception {
        try (MariaDbServer server = MariaDbServer.launch("--wait-timeout=5", "--max-allowed-packet=1M")) {
            Cli cli = CliTestSupport.against(dir, server);
            String url = server.url(JdbcDriver.MYSQL);

            Cli.Result human = cli.run("doctor", "--url", url);
            assertThat(human.exitCode()).as(human.toString()).isEqualTo(1);
            assertThat(human.out())
                    .containsPattern("ERROR\\s+wait_timeout\\s+wait_timeout 5 s")
                    .contains("fix: SET GLOBAL wait_timeout = 28800")
                    .containsPattern("WARN\\s+max_allowed_packet\\s+max_allowed_packet 1 MB")
                    .containsPattern("OK\\s+server version\\s+MARIADB 11\\.4")
                    .contains("supports SELECT ... FOR UPDATE SKIP LOCKED")
                    .containsPattern("pool\\s+maxLifetime")
                    .containsPattern("leases\\s+lease 30 s")
                    .containsPattern("time_zone")
                    .containsPattern("WARN\\s+schema\\s+version none, " + migrations() + " migration\\(s\\) pending")
                    .contains("problem(s) will cause failures");

            Cli.Result json = cli.run("doctor", "--url", url, "--json");
            assertThat(json.exitCode()).isEqualTo(1);
            JsonNode report = JSON.readTree(json.out());
            assertThat(report.path("ok").asBoolean()).isFalse();
            assertThat(report.path("global_variables").path("wait_timeout").asText())
                    .isEqualTo("5");
            assertThat(report.path("session_variables").path("wait_timeout").asText())
                    .isEqualTo("5");
            assertThat(report.path("global_variables").has("net_read_timeout")).isTrue();
            assertThat(report.path("global_variables").has("innodb_lock_wait_timeout"))
                    .isTrue();
            assertThat(report.path("findings")).anySatisfy(f -> {
                assertThat(f.path("severity").asText()).isEqualTo("ERROR");
                assertThat(f.path("check").asText()).isEqualTo("wait_timeout");
                assertThat(f.path("fix").asText()).contains("wait_timeout = 28800");
            });
            assertThat(report.path("findings"))
                    .as("every finding that is not OK says what to do")
                    .allSatisfy(f -> assertThat(f.path("severity").asText().equals("OK")
                                    || !f.path("fix").asText().isBlank())
                            .as(f.toString())
                            .isTrue());
        }
    }

    @Test
    void aHealthyServerPassesAndALargePendingPayloadIsFlagged() throws Exception {
        try (MariaDbServer server = MariaDbServer.launch("--max-allowed-packet=4M")) {
            Cli cli = CliTestSupport.against(dir, server);
            String url = server.url(JdbcDriver.MARIADB);
            assertThat(cli.run("migrate", "--url", url).exitCode()).isZero();

            Cli.Result healthy = cli.run("doctor", "--url", url);
            assertThat(healthy.exitCode()).as(healthy.toString()).isZero();
            assertThat(healthy.out())
                    .containsPattern("OK\\s+wait_timeout\\s+wait_timeout 28800 s")
                    .containsPattern("OK\\s+schema");

            // a 2.5 MB payload: fits one packet, but not with room to spare
            Path big = dir.resolve("big.json");
            Files.writeString(big, "{\"blob\": \"" + "x".repeat(2_500_000) + "\"}");
            assertThat(cli.run("enqueue", "--url", url, "--type", "noop", "--payload", "@" + big)
                            .exitCode())
                    .isZero();
            Cli.Result flagged = cli.run("doctor", "--url", url);
            assertThat(flagged.out())
                    .containsPattern(
                            "WARN\\s+max_allowed_packet\\s+max_allowed_packet 4 MB, largest pending payload 2 MB");
        }
    }

    /** How many migrations the queue ships (every one pending on an empty database). */
    private static long migrations() throws Exception {
        try (var files = Files.list(Path.of("../steadfast-queue/src/main/resources/db/steadfast"))) {
            return files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql"))
                    .count();
        }
    }
}
