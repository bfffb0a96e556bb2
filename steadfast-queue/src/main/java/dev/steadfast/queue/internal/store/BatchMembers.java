package dev.steadfast.queue.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** A batch's members ending: its counts, and the callbacks the last of them fires. (Filled in by the batches work.) */
final class BatchMembers {
    private BatchMembers() {}

    static void finished(Connection tx, List<Finished> finished) throws SQLException {}

    static void reopened(Connection tx, List<Finished> reopened) throws SQLException {}
}
