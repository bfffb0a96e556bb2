package dev.steadfast.jdbc.internal.classify;

import dev.steadfast.jdbc.PacketTooLargeException;
import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;
import java.util.Set;

/**
 * The one place that decides what an {@link SQLException} from MariaDB Connector/J, MySQL Connector/J
 * or HikariCP means. Vendor error codes first, then SQLState, then exception classes in the cause
 * chain, and only as a last resort the message text.
 */
public final class FailureClassifier {

    /** Errors after which the connection is gone but the statement never ran. */
    private static final Set<Integer> LOST_BEFORE_SENT_CODES = Set.of(
            4031, // ER_CLIENT_INTERACTION_TIMEOUT: MySQL closed the idle connection before reading the statement
            1040, // ER_CON_COUNT_ERROR: too many connections (while connecting)
            1129, // ER_HOST_IS_BLOCKED (while connecting)
            2002, 2003, 2005); // client could not connect at all

    /** Errors after which the connection is gone and the statement may have run. */
    private static final Set<Integer> LOST_MAYBE_EXECUTED_CODES = Set.of(
            2006, // CR_SERVER_GONE_ERROR
            2013, // CR_SERVER_LOST
            2055, // CR_SERVER_LOST_EXTENDED
            1927, // ER_CONNECTION_KILLED (MariaDB)
            1053, // ER_SERVER_SHUTDOWN
            1077, // ER_NORMAL_SHUTDOWN
            1079, // ER_SHUTDOWN_COMPLETE
            1152, // ER_ABORTING_CONNECTION
            1158, 1159, 1160, 1161, // network read/write errors and timeouts on the server side
            4025); // ER_SERVER_SHUTDOWN_... (MySQL: shutdown in progress, connection closed)

    private static final Set<Integer> READ_ONLY_CODES = Set.of(
            1290, // ER_OPTION_PREVENTS_STATEMENT (--read-only)
            1792, // ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION
            1836); // ER_READ_ONLY_MODE

    /**
     * A Galera node that is not part of the primary component, or not yet synced: "WSREP has not yet prepared node
     * for application use" (ER_UNKNOWN_COM_ERROR, which an ordinary server sends only for a protocol command it does
     * not know). The statement was refused, not run.
     */
    private static final Set<Integer> NODE_UNUSABLE_CODES = Set.of(1047);

    /**
     * ER_ERROR_DURING_COMMIT, which a Galera node also sends for a statement it could not replicate because it left the
     * primary component ("Error while appending streaming replication fragment(provider status: Not connected to
     * Primary Component)"): only that form is a node problem; an engine's own error during COMMIT is not.
     */
    private static final int ER_ERROR_DURING_COMMIT = 1180;

    private static final Set<Integer> ROLLED_BACK_CODES = Set.of(
            1213, // ER_LOCK_DEADLOCK: the whole transaction was rolled back; Galera reports certification conflicts so
            1205, // ER_LOCK_WAIT_TIMEOUT: we roll back and run the unit again
            3101); // ER_TRANSACTION_ROLLBACK_DURING_COMMIT: Group Replication's certification conflict

    private static final Set<Integer> PACKET_CODES = Set.of(
            1153, // ER_NET_PACKET_TOO_LARGE
            1301); // ER_WARN_ALLOWED_PACKET_OVERFLOWED

    private static final String[] LOST_MESSAGES = {
        "gone away", "lost connection", "communications link failure", "connection reset",
        "broken pipe", "socket error", "connection was killed", "unexpected end of stream",
        "connection refused", "socket closed"
    };
    private static final String[] CLOSED_MESSAGES = {
        "no operations allowed after connection closed", "connection is closed", "connection closed"
    };

    /** Classifies an exception and everything it wraps. */
    public FailureKind classify(SQLException exception) {
        if (exception instanceof PacketTooLargeException || mentionsPacketTooBig(exception)) {
            return FailureKind.PACKET_TOO_LARGE;
        }
        if (hasCause(exception, ConnectException.class, NoRouteToHostException.class, UnknownHostException.class)) {
            return FailureKind.LOST_BEFORE_SENT; // never connected, so nothing was sent
        }
        FailureKind byCode = byCodes(exception);
        if (byCode != null) {
            return byCode;
        }
        if (hasCause(exception, SocketException.class, EOFException.class, InterruptedIOException.class)) {
            return FailureKind.LOST_MAYBE_EXECUTED;
        }
        if (exception instanceof SQLTransientConnectionException) {
            // HikariCP's "Connection is not available, request timed out": no statement was sent.
            return FailureKind.LOST_BEFORE_SENT;
        }
        if (exception instanceof SQLRecoverableException) {
            return FailureKind.LOST_MAYBE_EXECUTED;
        }
        return byMessage(exception);
    }

    private FailureKind byCodes(SQLException exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (!(t instanceof SQLException sql)) {
                continue;
            }
            int code = sql.getErrorCode();
            if (LOST_BEFORE_SENT_CODES.contains(code)) {
                return FailureKind.LOST_BEFORE_SENT;
            }
            if (LOST_MAYBE_EXECUTED_CODES.contains(code)) {
                return FailureKind.LOST_MAYBE_EXECUTED;
            }
            if (NODE_UNUSABLE_CODES.contains(code)
                    || (code == ER_ERROR_DURING_COMMIT && outsidePrimaryComponent(sql))) {
                return FailureKind.NODE_UNUSABLE;
            }
            if (READ_ONLY_CODES.contains(code)) {
                return FailureKind.READ_ONLY_SERVER;
            }
            if (ROLLED_BACK_CODES.contains(code)) {
                return FailureKind.TRANSACTION_ROLLED_BACK;
            }
            if (PACKET_CODES.contains(code)) {
                return FailureKind.PACKET_TOO_LARGE;
            }
            FailureKind byState = byState(sql.getSQLState());
            if (byState != null) {
                return byState;
            }
            if (code > 0) {
                return FailureKind.NOT_CONNECTION; // a real server error on a live connection
            }
        }
        return null;
    }

    private static FailureKind byState(String state) {
        if ("25S03".equals(state)) {
            // MariaDB Connector/J in an HA mode reconnected on its own and "in progress transaction was lost": the
            // statements so far went with the old session, and a COMMIT among them may have run
            return FailureKind.LOST_MAYBE_EXECUTED;
        }
        if (state == null || !state.startsWith("08")) {
            return "40001".equals(state) ? FailureKind.TRANSACTION_ROLLED_BACK : null;
        }
        return switch (state) {
            // unable to connect, connection does not exist, rejected: nothing reached the server
            case "08001", "08003", "08004" -> FailureKind.LOST_BEFORE_SENT;
            default -> FailureKind.LOST_MAYBE_EXECUTED; // 08000, 08006, 08007, 08S01
        };
    }

    private static FailureKind byMessage(SQLException exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            for (String closed : CLOSED_MESSAGES) {
                if (message.contains(closed)) {
                    return FailureKind.LOST_BEFORE_SENT;
                }
            }
            for (String lost : LOST_MESSAGES) {
                if (message.contains(lost)) {
                    return FailureKind.LOST_MAYBE_EXECUTED;
                }
            }
        }
        return FailureKind.NOT_CONNECTION;
    }

    private static boolean outsidePrimaryComponent(SQLException exception) {
        String message =
                exception.getMessage() == null ? "" : exception.getMessage().toLowerCase(Locale.ROOT);
        return message.contains("primary component") || message.contains("provider status");
    }

    private static boolean mentionsPacketTooBig(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            // MySQL Connector/J checks max_allowed_packet itself and throws PacketTooBigException.
            if (t.getClass().getSimpleName().equals("PacketTooBigException")) {
                return true;
            }
        }
        return false;
    }

    @SafeVarargs
    private static boolean hasCause(Throwable exception, Class<? extends Throwable>... types) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            for (Class<? extends Throwable> type : types) {
                if (type.isInstance(t)) {
                    return true;
                }
            }
        }
        return false;
    }
}
