package dev.steadfast.queue;

import java.sql.SQLException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database user may read the queue's tables but not write them (a SELECT-only account, a GRANT forgotten): a
 * worker would claim nothing and fail every poll. Thrown by {@link Worker#start()} before the worker reports that it
 * started; {@link #grant()} is the statement that fixes it.
 */
public class MissingPrivilegeException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    /** Server errors that say a privilege is missing (table, column, database, global, routine). */
    private static final int[] DENIAL_CODES = {1142, 1143, 1044, 1227, 1370, 1131, 1132};

    private static final Pattern CONNECTION_PREFIX = Pattern.compile("^\\(conn[=:]\\d+\\)\\s*");
    private static final Pattern TO_USER = Pattern.compile("\\s+(?:to|for) user\\s+'[^']*'@'[^']*'");

    private final String user;
    private final String database;
    private final String denied;

    /**
     * @param user     the account, as {@code 'name'@'host'}
     * @param database the database holding the queue's tables
     * @param cause    the server's refusal
     */
    public MissingPrivilegeException(String user, String database, SQLException cause) {
        super(
                "database user " + user + " cannot write the queue's tables (" + deniedText(cause)
                        + "): a worker needs SELECT, INSERT, UPDATE, DELETE on the sf_ tables; run "
                        + grantFor(user, database),
                cause);
        this.user = user;
        this.database = database;
        this.denied = deniedText(cause);
    }

    /** The account, as {@code 'name'@'host'}. */
    public String user() {
        return user;
    }

    /** The server's refusal, without the connection number or the account. */
    public String denied() {
        return denied;
    }

    /** The statement that gives the account what a worker needs. */
    public String grant() {
        return grantFor(user, database);
    }

    /** {@code GRANT SELECT, INSERT, UPDATE, DELETE ON db.* TO user}: what a worker, an enqueuer or a cancel needs. */
    public static String grantFor(String user, String database) {
        return "GRANT SELECT, INSERT, UPDATE, DELETE ON `" + (database == null ? "<database>" : database) + "`.* TO "
                + user;
    }

    /** The first server error in {@code e}'s causes that says a privilege is missing. */
    public static Optional<SQLException> deniedBy(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                for (int code : DENIAL_CODES) {
                    if (sql.getErrorCode() == code) {
                        return Optional.of(sql);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The server's text of a refusal without the driver's connection number nor the account (said elsewhere). */
    public static String deniedText(SQLException e) {
        String message =
                e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
        message = CONNECTION_PREFIX.matcher(message.strip()).replaceFirst("");
        return TO_USER.matcher(message).replaceFirst("");
    }

    /** The account named in a refusal, as {@code 'name'@'host'}, if it names one. */
    public static Optional<String> userIn(SQLException e) {
        Matcher m = Pattern.compile("user\\s+('[^']*'@'[^']*')").matcher(e.getMessage() == null ? "" : e.getMessage());
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The database named in a refusal ({@code database 'app'}, or a table's {@code `app`.`sf_job`} or {@code app.sf_job}). */
    public static Optional<String> databaseIn(SQLException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        Matcher m = Pattern.compile("database\\s+'([^']+)'|table\\s+`?([^`.\\s']+)`?\\.")
                .matcher(message);
        return m.find() ? Optional.of(m.group(1) != null ? m.group(1) : m.group(2)) : Optional.empty();
    }
}
