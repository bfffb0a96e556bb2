package dev.steadfast.jdbc;

import java.time.Instant;
import java.util.Optional;

/**
 * The database stayed unreachable for the whole retry deadline or attempt budget of a unit of work.
 * Nothing of the unit was committed: every attempt either failed before commit or was proven rolled back.
 */
public class DatabaseUnavailableException extends SteadfastSqlException {
    private static final long serialVersionUID = 1L;

    private final Instant firstFailure;

    /**
     * @param firstFailure when the unit first failed to reach the database; null when unknown
     */
    public DatabaseUnavailableException(String message, Throwable lastFailure, Instant firstFailure) {
        super(message, "08001", 0, lastFailure);
        this.firstFailure = firstFailure;
    }

    /** When the unit first failed to reach the database: the outage began no later than this. Empty when unknown. */
    public Optional<Instant> firstFailure() {
        return Optional.ofNullable(firstFailure);
    }
}
