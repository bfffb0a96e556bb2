package dev.steadfast.queue.internal.store;

import dev.steadfast.queue.QueueCounts;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

/** Counts of jobs per queue and state. */
public final class StatsStore {
    private StatsStore() {
    }

    public static Map<String, QueueCounts> countsByQueue(Connection c) throws SQLException {
        Map<String, long[]> raw = new TreeMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT queue, state, state = 'pending' AND run_at > NOW(3), COUNT(*)"
                     + " FROM sf_job GROUP BY queue, state, state = 'pending' AND run_at > NOW(3)")) {
            while (rs.next()) {
                long[] counts = raw.computeIfAbsent(rs.getString(1), q -> new long[5]);
                int slot = switch (rs.getString(2)) {
                    case "pending" -> rs.getBoolean(3) ? 1 : 0;
                    case "running" -> 2;
                    case "succeeded" -> 3;
                    default -> 4;
                };
                counts[slot] += rs.getLong(4);
            }
        }
        Map<String, QueueCounts> counts = new TreeMap<>();
        raw.forEach((queue, n) -> counts.put(queue, new QueueCounts(n[0], n[1], n[2], n[3], n[4])));
        return counts;
    }
}
