package dev.steadfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadfast.testkit.FaultProxy;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Building a database while its first connections are cut (a worker starting in the middle of an incident). */
class StartupTest {

    @ParameterizedTest
    @EnumSource(JdbcDriver.class)
    void connectionsCutDuringStartupAreTriedAgain(JdbcDriver driver) throws Exception {
        MariaDbServer server = MariaDbServer.shared();
        try (FaultProxy proxy = FaultProxy.inFrontOf(server)) {
            proxy.armCommandCuts(2);
            try (ResilientDatabase db = ResilientDatabase.builder()
                    .jdbcUrl(server.urlVia(driver, proxy.port()))
                    .username(server.user())
                    .password(server.password())
                    .build()) {
                assertThat(proxy.commitCutsFired())
                        .as("both cuts hit the start-up")
                        .isEqualTo(2);
                boolean valid = db.read(c -> c.isValid(2));
                assertThat(valid).isTrue();
            }
        }
    }

    /** A cut connection is waited out as a unit of work's is: until the retry policy's deadline, then reported. */
    @ParameterizedTest
    @EnumSource(JdbcDriver.class)
    void aServerThatKeepsCuttingIsReportedAfterTheRetryDeadline(JdbcDriver driver) throws Exception {
        MariaDbServer server = MariaDbServer.shared();
        try (FaultProxy proxy = FaultProxy.inFrontOf(server)) {
            proxy.armCommandCuts(1000);
            assertThatThrownBy(() -> ResilientDatabase.builder()
                            .jdbcUrl(server.urlVia(driver, proxy.port()))
                            .username(server.user())
                            .password(server.password())
                            .retryPolicy(RetryPolicy.DEFAULT.withDeadline(Duration.ofSeconds(2)))
                            .build())
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(ResilientDatabase.isConnectionFailure((SQLException) e))
                            .isTrue());
            assertThat(proxy.commitCutsFired())
                    .as("tried again after each cut")
                    .isGreaterThan(1)
                    .isLessThan(1000);
        }
    }
}
