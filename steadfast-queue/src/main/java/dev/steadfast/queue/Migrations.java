package dev.steadfast.queue;

import org.flywaydb.core.Flyway;

import javax.sql.DataSource;

/** Applies the queue's schema ({@code sf_} tables) with Flyway, in its own history table. */
public final class Migrations {
    private Migrations() {
    }

    /** Brings the schema up to date; safe to call from several processes at once (Flyway locks). */
    public static void apply(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/steadfast")
                .table("sf_schema_history")
                // the database may hold the application's own tables: start our history at version 0
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }
}
