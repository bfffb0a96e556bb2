package dev.steadfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.PrivateMariaDb;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** (f) The server is SIGKILLed in the middle of a unit and comes back; and when it does not come back. */
class ServerRestartTest {
    @RegisterExtension
    static final PrivateMariaDb DB = new PrivateMariaDb();

    @ParameterizedTest
    @MethodSource("dev.steadfast.jdbc.Databases#drivers")
    void f_serverKilledAndRestartedDuringAUnit(JdbcDriver driver) throws Exception {
        Ledger ledger = Ledger.create(DB.server());
        try (ResilientDatabase db = Databases.open(driver, DB.server())) {
            AtomicInteger attempts = new AtomicInteger();
            CompletableFuture<Void> restart = new CompletableFuture<>();
            long value = db.transaction(tx -> {
                ledger.append(tx, "f");
                if (attempts.incrementAndGet() == 1) {
                    DB.server().kill(); // SIGKILL: uncommitted work is gone with the process
                    restart.completeAsync(() -> {
                        sleepQuietly(1000);
                        DB.server().start();
                        return null;
                    });
                }
                return Sql.queryLong(tx, "SELECT 7");
            });
            restart.get(60, TimeUnit.SECONDS);
            assertThat(value).isEqualTo(7);
            assertThat(attempts.get()).isGreaterThanOrEqualTo(2);
            assertThat(ledger.count("f")).isEqualTo(1);
        }
    }

    @Test
    void buildWaitsForADatabaseThatIsNotUpYetWhenAskedTo() throws Exception {
        DB.server().stop();
        try {
            assertThatThrownBy(() -> ResilientDatabase.builder()
                            .jdbcUrl(DB.server().url(JdbcDriver.MARIADB))
                            .username(DB.server().user())
                            .password(DB.server().password())
                            .build())
                    .as("by default a server that is down fails the build at once")
                    .isInstanceOf(SQLException.class);
            CompletableFuture<Void> start = CompletableFuture.runAsync(() -> {
                sleepQuietly(1500);
                DB.server().start();
            });
            try (ResilientDatabase db = ResilientDatabase.builder()
                    .jdbcUrl(DB.server().url(JdbcDriver.MYSQL))
                    .username(DB.server().user())
                    .password(DB.server().password())
                    .waitForDatabase(Duration.ofSeconds(60))
                    .build()) {
                boolean valid = db.read(c -> c.isValid(2));
                assertThat(valid).isTrue();
            }
            start.get(60, TimeUnit.SECONDS);
        } finally {
            if (!DB.server().isRunning()) {
                DB.server().start();
            }
        }
    }

    @Test
    void serverThatStaysDownFailsTheUnitWithDatabaseUnavailableAfterTheDeadline() throws Exception {
        Ledger ledger = Ledger.create(DB.server());
        try (ResilientDatabase db = Databases.open(
                JdbcDriver.MARIADB,
                DB.server(),
                b -> b.retryPolicy(RetryPolicy.DEFAULT.withDeadline(Duration.ofSeconds(2))))) {
            assertThat(db.connectionHealth().unreachableSince()).isNull();
            Instant killedAt = Instant.now();
            DB.server().kill();
            try {
                assertThatThrownBy(() -> db.transaction(tx -> {
                            ledger.append(tx, "never");
                            return null;
                        }))
                        .isInstanceOf(DatabaseUnavailableException.class)
                        .hasMessageContaining("gave up after");
                assertThat(db.connectionHealth().unreachableSince())
                        .as("the outage began with the unit's first failure")
                        .isNotNull()
                        .isAfterOrEqualTo(killedAt)
                        .isBeforeOrEqualTo(Instant.now());
            } finally {
                DB.server().start();
            }
            assertThat(ledger.count("never")).isZero();
            long one = db.read(c -> Sql.queryLong(c, "SELECT 1"));
            assertThat(one).as("heals once the server is back").isEqualTo(1);
            assertThat(db.connectionHealth().unreachableSince())
                    .as("a successful unit ends the outage")
                    .isNull();
            assertThat(db.connectionHealth().gaveUp()).isEqualTo(1);
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
