package dev.steadfast.queue;

import dev.steadfast.jdbc.retry.StartupRetry;
import dev.steadfast.queue.internal.schema.AppliedSchema;
import dev.steadfast.queue.internal.schema.ResumingResolver;
import java.sql.SQLException;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the queue's schema ({@code sf_} tables) with Flyway, in its own history table. Flyway works
 * on plain connections, not units of work, so a connection lost during start-up is handled here: the
 * schema check or the migration runs again, a cut migration repaired first, within a deadline.
 */
public final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String LOCATION = "db/steadfast";
    private static final String HISTORY = "sf_schema_history";

    private Migrations() {}

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

    private static FluentConfiguration flyway(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:" + LOCATION)
                .table(HISTORY)
                // the database may hold the application's own tables: start our history at version 0
                .baselineOnMigrate(true)
                .baselineVersion("0");
    }

    /** Reads the schema's state without changing anything, once (a health check's question: a lost connection is thrown). */
    public static SchemaStatus status(DataSource dataSource) {
        return status(dataSource, Duration.ZERO);
    }

    /**
     * Reads the schema's state without changing anything. A lost connection or server is waited out with backoff for
     * up to {@code patience}, then thrown; any other failure is thrown at once.
     */
    public static SchemaStatus status(DataSource dataSource, Duration patience) {
        OptionalInt newest = AppliedSchema.latestScript(LOCATION);
        if (newest.isPresent() && appliedUpToDate(dataSource, patience)) {
            return new SchemaStatus(Integer.toString(newest.getAsInt()), Integer.toString(newest.getAsInt()), 0);
        }
        Flyway flyway = flyway(dataSource).load();
        return retry("checking the schema", patience).run(() -> {
            MigrationInfoService info = flyway.info();
            MigrationInfo current = info.current();
            MigrationInfo[] all = info.all();
            String latest =
                    all.length == 0 ? "none" : all[all.length - 1].getVersion().toString();
            return new SchemaStatus(
                    current == null ? "none" : current.getVersion().toString(), latest, info.pending().length);
        });
    }

    /**
     * Brings the schema up to date; safe to call from several processes at once (Flyway locks). Waits up to 60 s
     * through a lost connection.
     *
     * @return how many migrations this call applied
     */
    public static int apply(DataSource dataSource) {
        return apply(dataSource, DEADLINE);
    }

    /**
     * Brings the schema up to date; safe to call from several processes at once (Flyway locks). A lost connection or
     * server is waited out with backoff for up to {@code patience}: the history table says what is applied, and a
     * migration cut half-way is repaired and run again.
     *
     * @return how many migrations this call applied
     */
    public static int apply(DataSource dataSource, Duration patience) {
        if (appliedUpToDate(dataSource, patience)) {
            return 0; // the common case, answered without loading Flyway
        }
        Flyway flyway = flyway(dataSource).load();
        AtomicBoolean cut = new AtomicBoolean();
        return retry("migrating the schema", patience)
                .run(
                        () -> (cut.get() ? resuming(dataSource, flyway) : flyway).migrate().migrationsExecuted,
                        failure -> {
                            cut.set(true);
                            try {
                                flyway.repair(); // forget a half-applied migration; its scripts run again
                            } catch (FlywayException repairFailed) {
                                LOG.debug("repair failed, retrying anyway: {}", repairFailed.getMessage());
                            }
                        });
    }

    /**
     * The migrations again after a cut: a statement of a half-applied script that is already in place is skipped
     * (MySQL and MariaDB commit DDL statement by statement, so a script cut between two is half applied).
     */
    private static Flyway resuming(DataSource dataSource, Flyway flyway) {
        return flyway(dataSource)
                .skipDefaultResolvers(true)
                .resolvers(new ResumingResolver(flyway.info().all(), LOCATION))
                .load();
    }

    /** The quick answer, through the same wait for a lost server as Flyway's path (and thrown as Flyway's would be). */
    private static boolean appliedUpToDate(DataSource dataSource, Duration patience) {
        try {
            return retry("checking the schema", patience)
                    .run(() -> AppliedSchema.upToDate(dataSource, HISTORY, LOCATION));
        } catch (SQLException e) {
            throw new FlywayException("could not read the schema history " + HISTORY + ": " + e.getMessage(), e);
        }
    }

    private static StartupRetry retry(String step, Duration patience) {
        return new StartupRetry(step, patience).alsoLostWhen(Migrations::versionUnread);
    }

    /**
     * Flyway reads the server's version on each connection it opens and swallows a failure of that read (the connection
     * cut at that moment), to report "Unable to determine version from ''": no server has an empty version.
     */
    private static boolean versionUnread(Throwable failure) {
        return failure instanceof FlywayException && "Unable to determine version from ''".equals(failure.getMessage());
    }
}
