package dev.steadfast.queue;

import java.sql.Connection;

/**
 * A handler whose database work runs in the same transaction that records the job's success, so its
 * effects happen exactly once: across connection losses (the transaction is replayed only when proven
 * rolled back), worker crashes and lease takeovers (a worker that lost the lease cannot commit).
 *
 * @param <P> the payload type
 */
public interface TransactionalJobHandler<P> extends JobHandler<P> {

    /** Does the job's database work through {@code transaction}. May run again if the transaction is replayed. */
    void handle(JobContext context, P payload, Connection transaction) throws Exception;

    /** Not used for transactional handlers; the worker calls the transactional variant. */
    @Override
    default void handle(JobContext context, P payload) {
        throw new UnsupportedOperationException("transactional handlers run with a transaction");
    }
}
