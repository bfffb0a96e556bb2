package dev.steadfast.jdbc;

import dev.steadfast.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A table in which each unit of work records itself once: counting rows per key is how a test proves
 * "exactly once".
 */
final class Ledger {
    private static final AtomicLong TABLES = new AtomicLong();

    private final TestDatabase database;
    final String table;

    private Ledger(TestDatabase database, String table) {
        this.database = database;
        this.table = table;
    }

    static Ledger create(TestDatabase database) throws SQLException {
        String table = "ledger_" + ProcessHandle.current().pid() + "_" + TABLES.incrementAndGet();
        database.execute(
                "DROP TABLE IF EXISTS " + table,
                "CREATE TABLE " + table + " (id BIGINT AUTO_INCREMENT PRIMARY KEY, k VARCHAR(64) NOT NULL,"
                        + " v BIGINT NOT NULL DEFAULT 0, KEY (k)) ENGINE=InnoDB");
        return new Ledger(database, table);
    }

    /** Appends a row for key k in the given transaction (not unique: duplicates would show). */
    void append(Connection tx, String k) throws SQLException {
        try (PreparedStatement s = tx.prepareStatement("INSERT INTO " + table + " (k) VALUES (?)")) {
            s.setString(1, k);
            s.executeUpdate();
        }
    }

    long count(String k) throws SQLException {
        return database.queryLong("SELECT COUNT(*) FROM " + table + " WHERE k = '" + k + "'");
    }

    long total() throws SQLException {
        return database.queryLong("SELECT COUNT(*) FROM " + table);
    }

    long duplicates() throws SQLException {
        return database.queryLong(
                "SELECT COUNT(*) FROM (SELECT k FROM " + table + " GROUP BY k HAVING COUNT(*) > 1) d");
    }
}
