package dev.steadfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.PrivateMariaDb;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * After a failover the old primary turns read-only: writes fail with 1290/1836. Steadfast evicts the
 * connection and replays on a new one until it reaches a writable primary. The application user has
 * only the privileges an application has (read_only does not apply to administrators), which also
 * shows that fencing needs none beyond them: a user may KILL its own sessions.
 */
class ReadOnlyFailoverTest {
    @RegisterExtension
    static final PrivateMariaDb DB = new PrivateMariaDb();

    @BeforeAll
    static void prepare() throws Exception {
        DB.server()
                .execute(
                        "CREATE USER app IDENTIFIED BY 'app'",
                        "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE ON steadfast.* TO app");
    }

    @ParameterizedTest
    @MethodSource("dev.steadfast.jdbc.Databases#drivers")
    void writesDuringReadOnlyAreReplayedUntilTheServerIsWritableAgain(JdbcDriver driver) throws Exception {
        Ledger ledger = Ledger.create(DB.server());
        DB.server().execute("GRANT INSERT, SELECT ON steadfast." + ledger.table + " TO app");
        try (ResilientDatabase db = ResilientDatabase.builder()
                .jdbcUrl(DB.server().url(driver))
                .username("app")
                .password("app")
                .build()) {
            DB.server().execute("SET GLOBAL read_only = 1");
            CompletableFuture<Void> promoted = CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(1500);
                    DB.server().execute("SET GLOBAL read_only = 0");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                db.transaction(tx -> {
                    ledger.append(tx, "failover");
                    return null;
                });
            } finally {
                promoted.get(30, TimeUnit.SECONDS);
            }
            assertThat(ledger.count("failover")).isEqualTo(1);
            assertThat(Sql.counter(db, "steadfast.connection.failures", "kind", "read_only_server"))
                    .isGreaterThanOrEqualTo(1);
        }
    }
}
