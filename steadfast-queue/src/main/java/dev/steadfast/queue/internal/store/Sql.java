package dev.steadfast.queue.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Runs one statement on a connection it is given (never holds one: a unit of work that is replayed runs on a fresh
 * connection), so that a statement reads as its SQL, its parameters and a row mapper. Parameters bind in order; a
 * collection binds each of its elements (as an {@code IN (...)} list needs); {@link #nullAs} binds a typed NULL.
 */
final class Sql {
    private Sql() {}

    /** Reads one row of a result into a value. */
    @FunctionalInterface
    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** Does something with one row of a result. */
    @FunctionalInterface
    interface RowAction {
        void accept(ResultSet rs) throws SQLException;
    }

    /** Binds one item's parameters to a statement of a batch, from parameter 1. */
    @FunctionalInterface
    interface Binder<T> {
        void bind(PreparedStatement s, T item) throws SQLException;
    }

    /** A NULL of this JDBC type, where the drivers are given one. */
    private record TypedNull(int sqlType) {}

    /** {@code value}, or a NULL of {@code sqlType} when it is null. */
    static Object nullAs(Object value, int sqlType) {
        return value == null ? new TypedNull(sqlType) : value;
    }

    static <T> List<T> list(Connection c, String sql, Row<T> row, Object... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, 1, params);
            return read(s, row);
        }
    }

    static void each(Connection c, String sql, RowAction action, Object... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, 1, params);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    action.accept(rs);
                }
            }
        }
    }

    static <T> Optional<T> first(Connection c, String sql, Row<T> row, Object... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, 1, params);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(row.read(rs)) : Optional.empty();
            }
        }
    }

    /** The value of the single row a query always answers (an aggregate, {@code NOW(3)}). */
    static <T> T one(Connection c, String sql, Row<T> row, Object... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, 1, params);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return row.read(rs);
            }
        }
    }

    static boolean exists(Connection c, String sql, Object... params) throws SQLException {
        return first(c, sql, rs -> true, params).isPresent();
    }

    /** Runs an INSERT, UPDATE or DELETE; returns the rows it affected. */
    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, 1, params);
            return s.executeUpdate();
        }
    }

    /** Runs one statement per item as one JDBC batch. */
    static <T> void batch(Connection c, String sql, Collection<T> items, Binder<T> binder) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (T item : items) {
                binder.bind(s, item);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** Every row of the statement's result (its parameters bound). */
    static <T> List<T> read(PreparedStatement s, Row<T> row) throws SQLException {
        List<T> rows = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                rows.add(row.read(rs));
            }
        }
        return rows;
    }

    /** Binds these parameters from index {@code first} on; returns the next free index. */
    static int bind(PreparedStatement s, int first, Object... params) throws SQLException {
        int i = first;
        for (Object p : params) {
            if (p instanceof Collection<?> values) {
                for (Object value : values) {
                    bindOne(s, i++, value);
                }
            } else {
                bindOne(s, i++, p);
            }
        }
        return i;
    }

    private static void bindOne(PreparedStatement s, int i, Object p) throws SQLException {
        if (p == null) {
            s.setNull(i, Types.NULL);
        } else if (p instanceof TypedNull n) {
            s.setNull(i, n.sqlType());
        } else if (p instanceof String v) {
            s.setString(i, v);
        } else if (p instanceof Long v) {
            s.setLong(i, v);
        } else if (p instanceof Integer v) {
            s.setInt(i, v);
        } else if (p instanceof Boolean v) {
            s.setBoolean(i, v);
        } else if (p instanceof Timestamp v) {
            s.setTimestamp(i, v);
        } else if (p instanceof Instant v) {
            s.setTimestamp(i, Timestamp.from(v));
        } else {
            s.setObject(i, p);
        }
    }

    /**
     * A derived table of {@code n} rows of parameters named {@code columns} ({@code (SELECT ? AS a, ? AS b UNION ALL
     * SELECT ?, ? ...)}), for one statement that writes many rows each fenced by a join.
     */
    static String rows(int n, String... columns) {
        String first = "SELECT " + String.join(", ", Collections.nCopies(columns.length, "?"));
        StringBuilder sql = new StringBuilder("(SELECT ");
        for (int i = 0; i < columns.length; i++) {
            sql.append(i == 0 ? "" : ", ").append("? AS ").append(columns[i]);
        }
        for (int i = 1; i < n; i++) {
            sql.append(" UNION ALL ").append(first);
        }
        return sql.append(')').toString();
    }

    /** {@code ?,?,...}: {@code n} placeholders for an {@code IN} list. */
    static String placeholders(int n) {
        return String.join(",", Collections.nCopies(n, "?"));
    }

    static long micros(Duration d) {
        return d.toNanos() / 1000;
    }

    static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    /** A nullable BIGINT column. */
    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
