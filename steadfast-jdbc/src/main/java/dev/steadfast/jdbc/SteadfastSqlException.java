package dev.steadfast.jdbc;

import java.sql.SQLException;

/** Base of the exceptions Steadfast raises itself; each says what happened and what to do. */
public abstract class SteadfastSqlException extends SQLException {
    private static final long serialVersionUID = 1L;

    protected SteadfastSqlException(String message, String sqlState, int vendorCode, Throwable cause) {
        super(message, sqlState, vendorCode, cause);
    }
}
