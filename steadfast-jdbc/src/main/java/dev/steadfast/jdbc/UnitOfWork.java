package dev.steadfast.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Work done with one connection. It may run more than once when the connection is lost, so it must
 * do all its database work through the given connection and keep side effects outside the database
 * out of it (or make them idempotent).
 *
 * @param <T> the result
 */
@FunctionalInterface
public interface UnitOfWork<T> {
    T run(Connection connection) throws SQLException;
}
