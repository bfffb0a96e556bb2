package dev.steadfast.queue;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.jdbc.internal.retry.Backoff;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Applies the queue's schema ({@code sf_} tables) with Flyway, in its own history table. Flyway works
 * on plain connections, not units of work, so a connection lost during start-up is handled here: the
 * migration is repaired and run again (the scripts are idempotent), within a deadline.
 */
public final class Migrations {
    private static final Backoff BACKOFF = Backoff.exponential(Duration.ofMillis(200), Duration.ofSeconds(2));
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private Migrations() {
    }

    /**
     * Where the schema stands.
     *
     * @param current the applied version ("none" before the first migration)
     * @param latest  the newest version this build knows
     * @param pending migrations this build would apply
     */
    public record SchemaStatus(String current, String latest, int pending) {
        public boolean upToDate() {
            return pending == 0;
        }
    }

    private static Flyway flyway(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/steadfast")
                .table("sf_schema_history")
                // the database may hold the application's own tables: start our history at version 0
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load();
    }

    /** Reads the schema's state without changing anything. */
    public static SchemaStatus status(DataSource dataSource) {
        MigrationInfoService info = flyway(dataSource).info();
        MigrationInfo current = info.current();
        MigrationInfo[] all = info.all();
        String latest = all.length == 0 ? "none" : all[all.length - 1].getVersion().toString();
        return new SchemaStatus(current == null ? "none" : current.getVersion().toString(), latest, info.pending().length);
    }

    /**
     * Brings the schema up to date; safe to call from several processes at once (Flyway locks).
     *
     * @return how many migrations this call applied
     */
    public static int apply(DataSource dataSource) {
        Flyway flyway = flyway(dataSource);
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                return flyway.migrate().migrationsExecuted;
            } catch (FlywayException e) {
                SQLException cause = sqlCause(e);
                if (cause == null || !ResilientDatabase.isConnectionFailure(cause) || System.nanoTime() > deadline) {
                    throw e;
                }
                LOG.info("connection lost while migrating the schema (attempt {}), repairing and retrying: {}",
                        attempt, cause.getMessage());
                pause(attempt, Duration.ofNanos(deadline - System.nanoTime()));
                try {
                    flyway.repair(); // forget a half-applied migration; its scripts run again idempotently
                } catch (FlywayException repairFailed) {
                    LOG.debug("repair failed, retrying anyway: {}", repairFailed.getMessage());
                }
            }
        }
    }

    private static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    private static void pause(int attempt, Duration left) {
        try {
            BACKOFF.sleep(attempt, left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while migrating the schema", e);
        }
    }
}
