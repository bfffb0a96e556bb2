package dev.steadfast.spring;

import dev.steadfast.jdbc.ResilientDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Runs a block as one of Steadfast's units of work, with a {@link JdbcTemplate} on the unit's connection: when the
 * connection is lost (idle timeout, KILL, restart, failover) the block runs again on a fresh one, an interrupted
 * COMMIT is resolved rather than guessed, and what still fails is typed. The block may run more than once: keep other
 * side effects (HTTP calls, messages) out of it.
 *
 * <pre>{@code
 * long id = template.execute(jdbc -> {
 *     jdbc.update("INSERT INTO orders (customer) VALUES (?)", customer);
 *     return jdbc.queryForObject("SELECT LAST_INSERT_ID()", Long.class);
 * });
 * }</pre>
 *
 * <p>This is not Spring's {@code @Transactional}: that cannot replay a method whose connection died mid-way. Use this
 * template where a unit must survive connection losses; Spring transactions still get connections that are alive
 * when borrowed.
 */
public final class ResilientTransactionTemplate {
    private final ResilientDatabase db;

    public ResilientTransactionTemplate(ResilientDatabase db) {
        this.db = db;
    }

    /** Work on a JdbcTemplate bound to one transaction's connection. */
    @FunctionalInterface
    public interface JdbcWork<T> {
        T run(JdbcTemplate jdbc) throws SQLException;
    }

    /**
     * Runs {@code work} in a transaction, replayed on a fresh connection when the connection is lost.
     *
     * @throws SQLException what the database refused (JdbcTemplate's {@code DataAccessException} is unwrapped to its
     *                      cause, so that Steadfast can tell a lost connection from a refused statement), or
     *                      Steadfast's typed errors: {@code DatabaseUnavailableException} after the retry deadline,
     *                      {@code CommitOutcomeUnknownException} when a cut COMMIT could not be resolved
     */
    public <T> T execute(JdbcWork<T> work) throws SQLException {
        return db.transaction(connection -> unwrapped(work, connection));
    }

    /** Runs {@code work} as a read (autocommit), retried on a fresh connection when the connection is lost. */
    public <T> T read(JdbcWork<T> work) throws SQLException {
        return db.read(connection -> unwrapped(work, connection));
    }

    private static <T> T unwrapped(JdbcWork<T> work, Connection connection) throws SQLException {
        try {
            return work.run(new JdbcTemplate(new SingleConnectionDataSource(connection, true)));
        } catch (DataAccessException e) {
            if (e.getCause() instanceof SQLException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
