package dev.steadfast.queue.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** Jobs that wait for others: made pending by the last parent's success. (Filled in by the workflows work.) */
final class Dependents {
    private Dependents() {}

    static void finished(Connection tx, List<Finished> finished) throws SQLException {}

    static void reopened(Connection tx, List<Finished> reopened) throws SQLException {}
}
