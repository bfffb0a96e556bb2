package dev.steadfast.spring;

import dev.steadfast.jdbc.UnitOfWork;
import dev.steadfast.queue.AmbientTransaction;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Spring-managed transactions as Steadfast's {@link AmbientTransaction}: inside {@code @Transactional} (or a
 * {@code TransactionTemplate}) a job is written on the connection Spring bound to the application's
 * {@code DataSource}, whichever API the method also uses (JdbcTemplate, or JPA, whose transaction manager binds its
 * JDBC connection there too), and idle workers are woken after the commit. The starter sets it up for the
 * application's one DataSource; with several, declare the queue yourself:
 * {@code JobQueue.create(db).joining(new SpringTransactions(ordersDataSource))}.
 */
public final class SpringTransactions implements AmbientTransaction {
    private final DataSource dataSource;

    /** @param dataSource the DataSource whose Spring-managed transactions enqueues join (the same instance Spring uses) */
    public SpringTransactions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public <T> Optional<T> join(UnitOfWork<T> work, Runnable afterCommit) throws SQLException {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            return Optional.empty();
        }
        if (TransactionSynchronizationManager.isCurrentTransactionReadOnly()) {
            throw new IllegalStateException("cannot enqueue a job inside a read-only transaction: the job would be lost"
                    + " with it; enqueue from a read-write @Transactional method");
        }
        if (TransactionSynchronizationManager.getResource(dataSource) == null) {
            // the transaction is another resource's (a second DataSource, a JTA manager without this one): a job
            // written
            // on its own would commit whatever became of the caller's transaction
            throw new IllegalStateException(
                    "cannot enqueue into the current transaction: it does not hold a connection of"
                            + " the application's DataSource (a transaction manager for another DataSource?); enqueue outside it,"
                            + " or let it manage the DataSource Steadfast uses");
        }
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            T result = work.run(connection);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    afterCommit.run();
                }
            });
            return Optional.of(result);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }
}
