package dev.steadfast.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Tells, on a fresh connection, whether a transaction whose COMMIT was interrupted did commit. Supply
 * one when the transaction's own writes prove it (a row it inserted, a state it set): it then replaces
 * the commit marker row and its write. It runs only after the old session is proven gone.
 */
@FunctionalInterface
public interface OutcomeProbe {
    boolean committed(Connection connection) throws SQLException;
}
