package dev.steadfast.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.internal.schema.AppliedSchema;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;

/** The quick "schema up to date" answer that spares a short command Flyway agrees with Flyway, and is unsure otherwise. */
class AppliedSchemaTest {
    private static final MariaDbServer SERVER = MariaDbServer.shared();
    private static final String DATABASE = "sf_applied_schema_test";

    @Test
    void upToDateOnlyWhenTheHistoryHoldsEveryScriptAndNoFailure() throws Exception {
        String admin = SERVER.url(JdbcDriver.MARIADB);
        try (Connection c = DriverManager.getConnection(admin, SERVER.user(), SERVER.password());
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE);
            s.execute("CREATE DATABASE " + DATABASE);
        }
        String url = admin.replace("/steadfast", "/" + DATABASE);
        try (ResilientDatabase db = ResilientDatabase.builder()
                .jdbcUrl(url)
                .username(SERVER.user())
                .password(SERVER.password())
                .build()) {
            MigrationInfo[] scripts = Flyway.configure()
                    .dataSource(db.dataSource())
                    .locations("classpath:db/steadfast")
                    .load()
                    .info()
                    .all();
            int newest =
                    Integer.parseInt(scripts[scripts.length - 1].getVersion().toString());
            assertThat(AppliedSchema.latestScript("db/steadfast")).hasValue(newest);

            assertThat(AppliedSchema.upToDate(db.dataSource(), "sf_schema_history", "db/steadfast"))
                    .as("no history yet")
                    .isFalse();
            assertThat(Migrations.status(db.dataSource()).upToDate()).isFalse();
            assertThat(Migrations.apply(db.dataSource())).isEqualTo(scripts.length);
            assertThat(AppliedSchema.upToDate(db.dataSource(), "sf_schema_history", "db/steadfast"))
                    .isTrue();
            assertThat(Migrations.status(db.dataSource()))
                    .isEqualTo(new Migrations.SchemaStatus(Integer.toString(newest), Integer.toString(newest), 0));
            assertThat(Migrations.apply(db.dataSource())).isZero();

            try (Connection c = db.dataSource().getConnection();
                    Statement s = c.createStatement()) {
                // a failed row (a migration that broke): Flyway's path decides
                s.execute("UPDATE sf_schema_history SET success = 0 WHERE version = '" + newest + "'");
                assertThat(AppliedSchema.upToDate(db.dataSource(), "sf_schema_history", "db/steadfast"))
                        .isFalse();
                // the newest script not applied: not up to date
                s.execute("UPDATE sf_schema_history SET success = 1, version = '" + (newest - 1) + "' WHERE version = '"
                        + newest + "'");
                assertThat(AppliedSchema.upToDate(db.dataSource(), "sf_schema_history", "db/steadfast"))
                        .isFalse();
                // a database migrated by a newer build: not this build's "up to date" either
                s.execute(
                        "UPDATE sf_schema_history SET version = '" + (newest + 1) + "' WHERE version = '" + (newest - 1)
                                + "' AND installed_rank = (SELECT r FROM (SELECT MAX(installed_rank) r FROM sf_schema_history) m)");
                assertThat(AppliedSchema.upToDate(db.dataSource(), "sf_schema_history", "db/steadfast"))
                        .isFalse();
            }
        } finally {
            try (Connection c = DriverManager.getConnection(admin, SERVER.user(), SERVER.password());
                    Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + DATABASE);
            }
        }
    }
}
