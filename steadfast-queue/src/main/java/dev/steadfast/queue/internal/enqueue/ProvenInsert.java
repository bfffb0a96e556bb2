package dev.steadfast.queue.internal.enqueue;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.internal.store.JobInserts;
import dev.steadfast.queue.internal.store.NewJob;
import dev.steadfast.queue.internal.store.Store;
import dev.steadfast.queue.internal.worker.Operation;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Inserts in a unit of work of their own whose rows prove their commit: after a COMMIT cut off, the rows with the ids
 * the insert returned exist exactly when the transaction committed (InnoDB never hands out an id twice), so no
 * commit-marker row is written. A row whose unique key matched a live job exists either way, the new ones not.
 */
public final class ProvenInsert {
    private final ResilientDatabase db;
    private final Store store;

    public ProvenInsert(ResilientDatabase db, Store store) {
        this.db = db;
        this.store = store;
    }

    /** One job; when its key matched a live job, nothing new was written but a counter: either outcome is right. */
    public JobInserts.Inserted one(NewJob row) throws SQLException {
        AtomicLong written = new AtomicLong();
        try (Operation op = Operation.named("enqueue of a " + row.type() + " job")) {
            return db.transaction(c -> store.inserts().allExist(c, List.of(written.get())), tx -> {
                JobInserts.Inserted in = store.inserts().insertOne(tx, row);
                written.set(in.id());
                return in;
            });
        }
    }

    /** Many jobs in one transaction: all or none; their ids in order. */
    public List<Long> all(List<NewJob> rows) throws SQLException {
        AtomicReference<List<Long>> written = new AtomicReference<>(List.of());
        try (Operation op = Operation.named("enqueue of " + rows.size() + " jobs")) {
            return db.transaction(c -> store.inserts().allExist(c, written.get()), tx -> {
                List<Long> in = store.inserts().insert(tx, rows);
                written.set(in);
                return in;
            });
        }
    }
}
