package dev.steadfast.jdbc;

/**
 * The database stayed unreachable for the whole retry deadline or attempt budget of a unit of work.
 * Nothing of the unit was committed: every attempt either failed before commit or was proven rolled back.
 */
public class DatabaseUnavailableException extends SteadfastSqlException {
    private static final long serialVersionUID = 1L;

    public DatabaseUnavailableException(String message, Throwable lastFailure) {
        super(message, "08001", 0, lastFailure);
    }
}
