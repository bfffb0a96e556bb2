package dev.steadfast.bench;

import java.sql.SQLException;

/** One way of running the two benchmark operations. */
interface Variant extends AutoCloseable {
    String name();

    /** Primary-key SELECT; returns the value read. */
    long select(long id) throws SQLException;

    /** A small write transaction (UPDATE by primary key, commit). */
    void write(long id) throws SQLException;

    @Override
    void close();
}
