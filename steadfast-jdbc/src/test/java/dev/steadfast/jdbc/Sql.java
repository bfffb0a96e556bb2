package dev.steadfast.jdbc;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;

/** Small query helpers for tests. */
final class Sql {
    private Sql() {}

    static long connectionId(Connection connection) throws SQLException {
        return queryLong(connection, "SELECT CONNECTION_ID()");
    }

    static long queryLong(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A counter's value as the registry reports it (the meters are function counters over the database's state). */
    static double counter(ResilientDatabase db, String name, String tag, String value) {
        return sum(db.meterRegistry().find(name).tag(tag, value).meters());
    }

    static double counter(ResilientDatabase db, String name) {
        return sum(db.meterRegistry().find(name).meters());
    }

    private static double sum(Collection<Meter> meters) {
        double total = 0;
        for (Meter meter : meters) {
            if (meter instanceof FunctionCounter f) {
                total += f.count();
            } else if (meter instanceof Counter c) {
                total += c.count();
            } else {
                throw new IllegalArgumentException(meter.getId().getName() + " is not a counter");
            }
        }
        return total;
    }
}
