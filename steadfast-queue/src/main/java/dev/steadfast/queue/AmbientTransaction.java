package dev.steadfast.queue;

import dev.steadfast.jdbc.UnitOfWork;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A transaction the calling thread already takes part in, managed outside Steadfast (Spring's
 * {@code @Transactional}, for one). A queue {@linkplain JobQueue#joining joining} it enqueues into that transaction
 * instead of one of its own, so the job commits or rolls back with the caller's other writes.
 */
public interface AmbientTransaction {

    /**
     * Runs {@code work} on the connection of the caller's transaction and answers its result, arranging for
     * {@code afterCommit} to run once that transaction has committed (never after a rollback); empty, running
     * nothing, when the calling thread is in no such transaction.
     *
     * @throws IllegalStateException when the calling thread is in a transaction that cannot take the job (read-only,
     *                               or on another database): enqueueing on its own would break the caller's promise
     */
    <T> Optional<T> join(UnitOfWork<T> work, Runnable afterCommit) throws SQLException;
}
