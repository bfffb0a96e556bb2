package dev.steadfast.cli.connect;

import dev.steadfast.cli.DurationConverter;
import dev.steadfast.cli.Lifecycle;
import dev.steadfast.cli.SecretFiles;
import dev.steadfast.cli.UserException;
import dev.steadfast.embedded.EmbeddedPlatform;
import dev.steadfast.embedded.SharedEmbeddedServer;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.jdbc.retry.StartupRetry;
import dev.steadfast.queue.text.Redactor;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the command's database: the URL given, or the embedded MariaDB. A server that cannot be reached
 * is tried again with backoff until {@code --connect-timeout}; a refused password or a missing database
 * fails at once (trying again cannot help). Every failure becomes one line the operator can act on.
 */
public final class DatabaseConnector {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseConnector.class);
    private static final int ACCESS_DENIED = 1045;
    private static final int UNKNOWN_DATABASE = 1049;
    private static final int NO_SUCH_TABLE = 1146;

    private final ConnectionOptions options;

    public DatabaseConnector(ConnectionOptions options) {
        this.options = options;
    }

    /** Opens the database; what it opens is closed by {@code lifecycle}. */
    public ResilientDatabase open(
            Lifecycle lifecycle, MeterRegistry registry, Consumer<ResilientDatabase.Builder> customizer) {
        String url;
        String user;
        String password;
        if (options.embedded()) {
            SharedEmbeddedServer server = joinEmbedded(lifecycle);
            url = server.jdbcUrl();
            user = server.user();
            password = server.password();
            Redactor.registerSecret(password); // a job may print it (it can read .steadfast/credentials): mask it too
        } else {
            url = options.url().trim();
            if (!url.startsWith("jdbc:mariadb:") && !url.startsWith("jdbc:mysql:")) {
                throw UserException.usage(
                        "--url must be a JDBC URL starting with jdbc:mariadb:// or jdbc:mysql:// (got '"
                                + Redactor.safeUrl(url) + "')");
            }
            Redactor.registerUrlSecrets(url);
            SecretFiles.refusePasswordInFlag(url, url.equals(trimmed(System.getenv("STEADFAST_URL"))));
            user = options.user();
            password = options.password();
            Redactor.registerSecret(password);
        }
        ResilientDatabase.Builder builder = ResilientDatabase.builder()
                .jdbcUrl(url)
                .username(user)
                .password(password)
                .meterRegistry(registry)
                .connectTimeout(Duration.ofSeconds(5));
        customizer.accept(builder);
        return lifecycle.add(connect(builder, url, user));
    }

    private SharedEmbeddedServer joinEmbedded(Lifecycle lifecycle) {
        EmbeddedPlatform.problemHere().ifPresent(problem -> {
            throw UserException.failure(problem);
        });
        try {
            SharedEmbeddedServer server = lifecycle.add(SharedEmbeddedServer.join(options.home()));
            LOG.info(
                    "embedded MariaDB {} at {} (data in {})",
                    server.startedHere() ? "started" : "already running",
                    server.jdbcUrl(),
                    server.dataDir());
            if (server.startedHere()) {
                LOG.info(
                        "the embedded MariaDB stays up for the next commands, {} ('steadfast db status' shows it)",
                        untilStopped(server.idleStop()));
            }
            return server;
        } catch (IOException | RuntimeException e) {
            throw UserException.failure(
                    "cannot start the embedded MariaDB in " + options.home().toAbsolutePath() + ": " + e.getMessage()
                            + " (pass --url to use your own server)",
                    e);
        }
    }

    /** When a kept embedded server stops: after its idle time, or only when told to. */
    public static String untilStopped(Duration idleStop) {
        return (idleStop.isZero() ? "" : "until unused for " + DurationConverter.format(idleStop) + " or ")
                + "until 'steadfast db stop'";
    }

    private ResilientDatabase connect(ResilientDatabase.Builder builder, String url, String user) {
        String where = Redactor.safeUrl(url);
        try {
            return builder.waitForDatabase(options.connectTimeout()).build();
        } catch (SQLException e) {
            Optional<String> denied = AccessDenials.line(e); // connected, then refused (a database, a CREATE)
            if (denied.isPresent()) {
                throw UserException.failure(denied.get(), e);
            }
            if (e.getErrorCode() == ACCESS_DENIED || "28000".equals(e.getSQLState())) {
                throw UserException.failure(
                        "access denied for user '" + user + "' at " + where
                                + ": check --user/STEADFAST_USER and the password (STEADFAST_PASSWORD or --password-file)",
                        e);
            }
            if (e.getErrorCode() == NO_SUCH_TABLE) {
                throw UserException.failure(
                        "the database has no Steadfast schema (" + where + "): run 'steadfast migrate'"
                                + " (with a user allowed to create tables), or start the worker with 'steadfast work --migrate'",
                        e);
            }
            if (e.getErrorCode() == UNKNOWN_DATABASE) {
                throw UserException.failure("the database in " + where + " does not exist: create it or fix --url", e);
            }
            if (ResilientDatabase.isConnectionFailure(e)) {
                throw UserException.failure(
                        "cannot reach the database at " + where + " within "
                                + options.connectTimeout().toSeconds() + " s: " + firstLine(e.getMessage())
                                + ". Is the server running? Raise --connect-timeout to wait longer.",
                        e);
            }
            throw UserException.failure("cannot open " + where + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            AccessDenials.line(e).ifPresent(denied -> {
                throw UserException.failure(denied, e);
            });
            throw UserException.failure("cannot open " + Redactor.safeUrl(url) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs a step that follows the connection (the schema check, a migration). The step waits out a lost connection or
     * server itself, for {@code --connect-timeout}; when it gives up, or is refused, this is one line to act on.
     */
    public <T> T duringStart(String what, Supplier<T> step) {
        try {
            return step.get();
        } catch (RuntimeException e) {
            if (e instanceof UserException) {
                throw e;
            }
            Optional<String> denied = AccessDenials.line(e);
            if (denied.isPresent()) {
                throw UserException.failure(denied.get(), e);
            }
            SQLException cause = StartupRetry.firstSqlCause(e);
            String where = options.embedded()
                    ? "the embedded database in " + options.home()
                    : Redactor.safeUrl(options.url().trim());
            if (cause != null && ResilientDatabase.isConnectionFailure(cause)) {
                throw UserException.failure(
                        "lost the database at " + where + " while " + what + " and could not reach it"
                                + " again within " + options.connectTimeout().toSeconds() + " s: "
                                + firstLine(cause.getMessage())
                                + ". Is the server running? Raise --connect-timeout to wait longer.",
                        e);
            }
            throw UserException.failure(
                    what + " failed at " + where + ": " + firstLine(e.getMessage())
                            + (cause != null && (Throwable) cause != e
                                    ? " (" + firstLine(cause.getMessage()) + ")"
                                    : ""),
                    e);
        }
    }

    private static String trimmed(String value) {
        return value == null ? null : value.trim();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
