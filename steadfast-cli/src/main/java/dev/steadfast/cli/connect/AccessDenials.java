package dev.steadfast.cli.connect;

import dev.steadfast.queue.MissingPrivilegeException;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A server's refusal for a missing privilege, said as the one line a command prints: who, what was refused, and the
 * GRANT that fixes it (no Java class names, no {@code (conn=N)}).
 */
public final class AccessDenials {
    /** What {@code steadfast migrate} needs beyond what the other commands need. */
    static final String MIGRATE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP, REFERENCES";

    private static final int DATABASE_DENIED = 1044;
    private static final int SPECIFIC_DENIED = 1227;

    private AccessDenials() {}

    /** The line for {@code e} if a missing privilege caused it; empty for any other failure. */
    public static Optional<String> line(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MissingPrivilegeException missing) {
                return Optional.of(missing.getMessage());
            }
        }
        return MissingPrivilegeException.deniedBy(e).map(AccessDenials::lineFor);
    }

    private static String lineFor(SQLException denied) {
        String user = MissingPrivilegeException.userIn(denied).orElse("<user>");
        String database = MissingPrivilegeException.databaseIn(denied).orElse(null);
        String text = MissingPrivilegeException.deniedText(denied);
        if (denied.getErrorCode() == DATABASE_DENIED) {
            return "database user " + user + " may not use database '" + database
                    + "' (or it does not exist): check the" + " database in --url, or run "
                    + MissingPrivilegeException.grantFor(user, database);
        }
        if (denied.getErrorCode() == SPECIFIC_DENIED) {
            return "database user " + user + " lacks a privilege the server requires here (" + text + ")";
        }
        if (changesSchema(text)) {
            return "database user " + user + " may not create or change tables (" + text
                    + "): run 'steadfast migrate' as a"
                    + " user who may, or run GRANT " + MIGRATE_PRIVILEGES + " ON `"
                    + (database == null ? "<database>" : database)
                    + "`.* TO " + user;
        }
        return "database user " + user + " may not write the queue's tables (" + text + "): run "
                + MissingPrivilegeException.grantFor(user, database);
    }

    private static boolean changesSchema(String text) {
        String command = text.contains(" command denied") ? text.substring(0, text.indexOf(" command denied")) : "";
        for (String verb : new String[] {"CREATE", "ALTER", "DROP", "INDEX", "REFERENCES"}) {
            if (command.contains(verb)) {
                return true;
            }
        }
        return false;
    }
}
