package dev.steadfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.PrivateMariaDb;
import java.sql.PreparedStatement;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * (a) The incident itself: a server with {@code wait_timeout=2}, a pool idle for 3 s, then a write to
 * a failed-task log. Plain JDBC dies here with "gone away"/"Communications link failure".
 */
class IdleTimeoutTest {
    @RegisterExtension
    static final PrivateMariaDb DB = new PrivateMariaDb("--wait-timeout=2", "--interactive-timeout=2");

    @ParameterizedTest
    @MethodSource("dev.steadfast.jdbc.Databases#drivers")
    void a_connectionsIdlePastWaitTimeoutAreReplacedAndTheWriteLands(JdbcDriver driver) throws Exception {
        DB.server()
                .execute("CREATE TABLE IF NOT EXISTS failed_task (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
                        + " driver VARCHAR(16) NOT NULL, error TEXT NOT NULL)");
        try (ResilientDatabase db = Databases.open(driver, DB.server(), b -> b.hikari(c -> c.setMaximumPoolSize(2)))) {
            assertThat(db.serverTimeouts().sessionWaitTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(db.serverTimeouts().globalWaitTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(db.serverTimeouts().flavour()).isEqualTo(ServerFlavour.MARIADB);
            assertThat(db.serverTimeouts().supportsSkipLocked()).isTrue();
            assertThat(db.poolSettings().keepaliveTime())
                    .as("no keepalive can beat a 2 s wait_timeout")
                    .isZero();
            db.read(c -> Sql.connectionId(c)); // the pool is warm

            Thread.sleep(3000); // quiet queue: the server closes every idle connection

            int inserted = db.transaction(tx -> {
                try (PreparedStatement s =
                        tx.prepareStatement("INSERT INTO failed_task (driver, error) VALUES (?, ?)")) {
                    s.setString(1, driver.name());
                    s.setString(2, "task failed for its own reasons");
                    return s.executeUpdate();
                }
            });

            assertThat(inserted).isEqualTo(1);
            assertThat(DB.server().queryLong("SELECT COUNT(*) FROM failed_task WHERE driver = '" + driver.name() + "'"))
                    .isEqualTo(1);
            // Idle for more than 500 ms, the connections are validated by HikariCP itself when borrowed
            // (the local check covers the window before that): no statement of ours hit a dead one.
            assertThat(Sql.counter(db, "steadfast.unit.replays"))
                    .as("no statement hit a dead connection")
                    .isZero();
        }
    }
}
