package dev.steadfast.jdbc.internal.unit;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Rows in {@code sf_tx_outcome}, one written inside each transaction: after an interrupted COMMIT,
 * the row exists exactly when the transaction committed.
 */
public final class CommitMarkers {
    static final String TABLE = "sf_tx_outcome";

    private CommitMarkers() {}

    public static void createTable(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " ("
                    + "id BINARY(16) NOT NULL PRIMARY KEY,"
                    + " created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),"
                    + " KEY sf_tx_outcome_created (created_at)) ENGINE=InnoDB");
        }
    }

    /**
     * Fails with SQLState 42S02 (error 1146, as the server reports a missing table) when the table does not exist:
     * for users who may not run DDL, whose schema is created by a migration.
     */
    public static void requireTable(Connection connection) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT 1 FROM information_schema.tables" + " WHERE table_schema = DATABASE() AND table_name = ?")) {
            s.setString(1, TABLE);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException(
                            "the commit-marker table " + TABLE + " does not exist: create the schema first"
                                    + " (steadfast migrate creates it), or let the builder create it (createMarkerTable(true))",
                            "42S02",
                            1146);
                }
            }
        }
    }

    /** A fresh random 128-bit marker id. */
    static byte[] newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return ByteBuffer.allocate(16)
                .putLong(random.nextLong())
                .putLong(random.nextLong())
                .array();
    }

    /**
     * One statement that starts a transaction and writes its marker (a MariaDB compound statement): the marker then
     * needs no round trip of its own. The id goes in as a hex literal, so no placeholder has to survive the block.
     */
    static String startTransactionWith(byte[] id) {
        return "BEGIN NOT ATOMIC START TRANSACTION; INSERT INTO " + TABLE + " (id) VALUES (X'"
                + HexFormat.of().formatHex(id) + "'); END";
    }

    /** Writes the marker as a statement of its own, inside the open transaction. */
    static void write(Connection transaction, byte[] id) throws SQLException {
        try (PreparedStatement s = transaction.prepareStatement("INSERT INTO " + TABLE + " (id) VALUES (?)")) {
            s.setBytes(1, id);
            s.executeUpdate();
        }
    }

    static boolean exists(Connection connection, byte[] id) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT 1 FROM " + TABLE + " WHERE id = ?")) {
            s.setBytes(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Deletes up to {@code limit} markers older than the retention; returns how many went. */
    public static int purge(Connection connection, Duration retention, int limit) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "DELETE FROM " + TABLE + " WHERE created_at < NOW(3) - INTERVAL ? SECOND LIMIT " + limit)) {
            s.setLong(1, Math.max(1, retention.toSeconds()));
            return s.executeUpdate();
        }
    }
}
