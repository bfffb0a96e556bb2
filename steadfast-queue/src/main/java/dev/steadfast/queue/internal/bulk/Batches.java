package dev.steadfast.queue.internal.bulk;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.JobFilter;
import dev.steadfast.queue.internal.store.Store;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Applies an action to every job a filter matches (running ones aside), {@value #SIZE} ids at a time, each batch a
 * transaction of its own so that a large change does not hold locks for long.
 */
public final class Batches {
    /** How many jobs a bulk action changes per transaction. */
    public static final int SIZE = 1000;

    /** What a batch does to its jobs; returns how many it changed. */
    @FunctionalInterface
    public interface Action {
        int apply(Connection tx, List<Long> ids) throws SQLException;
    }

    private final ResilientDatabase db;
    private final Store store;

    public Batches(ResilientDatabase db, Store store) {
        this.db = db;
        this.store = store;
    }

    /** Runs the action on batches of the matching jobs until none is left; returns how many it changed. */
    public long apply(JobFilter filter, Action action) throws SQLException {
        long done = 0;
        while (true) {
            List<Long> ids = db.read(c -> store.search().ids(c, filter, SIZE));
            if (ids.isEmpty()) {
                return done;
            }
            int n = db.transaction(tx -> action.apply(tx, ids));
            done += n;
            if (ids.size() < SIZE || n == 0) { // n == 0: others changed them meanwhile; do not spin on them
                return done;
            }
        }
    }
}
