package dev.steadfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The healing layer's numbers are state, and meters only views of it: a registry that denies every meter
 * changes nothing that is reported, and without Micrometer on the class path steadfast-jdbc works.
 */
class MetricsAreViewsTest {

    private static ResilientDatabase open(MariaDbServer server, MeterRegistry registry) throws Exception {
        return ResilientDatabase.builder()
                .jdbcUrl(server.url(JdbcDriver.MARIADB))
                .username(server.user())
                .password(server.password())
                .meterRegistry(registry)
                .build();
    }

    private static int one(ResilientDatabase db) throws Exception {
        return db.read(c -> {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT 1")) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    @Test
    void aDenyAllRegistryChangesNothingThatIsReported() throws Exception {
        MariaDbServer server = MariaDbServer.shared();
        SimpleMeterRegistry denied = new SimpleMeterRegistry();
        denied.config().meterFilter(MeterFilter.deny());
        SimpleMeterRegistry counted = new SimpleMeterRegistry();
        try (ResilientDatabase filtered = open(server, denied);
                ResilientDatabase plain = open(server, counted)) {
            one(filtered);
            one(plain);
            for (long id : server.connectionIds()) {
                server.killConnection(id);
            }
            assertThat(one(filtered)).isEqualTo(1);
            assertThat(one(plain)).isEqualTo(1);

            ConnectionHealth health = filtered.connectionHealth();
            assertThat(health.losses() + health.evictions())
                    .as("the KILL was seen, whatever the registry keeps")
                    .isPositive();
            assertThat(health.gaveUp()).isZero();
            assertThat(denied.getMeters()).as("the registry kept nothing").isEmpty();

            ConnectionHealth plainHealth = plain.connectionHealth();
            assertThat(counted.find("steadfast.liveness.evictions")
                            .functionCounter()
                            .count())
                    .as("the meter reads the state")
                    .isEqualTo(plainHealth.evictions());
            assertThat(counted.find("steadfast.heal.time").functionTimer().count())
                    .isEqualTo(plainHealth.heals());
            HealingStats stats = plain.healingStats();
            assertThat(stats.failuresByKind().values().stream()
                                    .mapToLong(Long::longValue)
                                    .sum()
                            - stats.failuresByKind().getOrDefault("not_connection", 0L))
                    .isEqualTo(plainHealth.losses());
        }
    }

    @Test
    void worksWithoutMicrometerOnTheClassPath() throws Exception {
        MariaDbServer server = MariaDbServer.shared();
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("micrometer")
                        && !entry.contains("HdrHistogram")
                        && !entry.contains("LatencyUtils"))
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(classPath).doesNotContain("micrometer");
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        classPath,
                        WithoutMicrometerMain.class.getName(),
                        server.url(JdbcDriver.MARIADB),
                        server.user(),
                        server.password())
                .redirectErrorStream(true)
                .start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("micrometer absent").contains("transaction 42, read 1, registry null");
    }
}
