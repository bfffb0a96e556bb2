package dev.steadfast.queue.doctor;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.jdbc.Servers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one server of the URL says about its place in a cluster or a replication topology, read over a connection of
 * its own: whether it is read-only, its Galera state, its replication threads and lag when it is a replica.
 *
 * @param address      {@code host:port}
 * @param error        why it could not be read (unreachable, refused), or null
 * @param readOnly     {@code @@global.read_only}
 * @param settings     variables and status by lower-case name: Galera's ({@code wsrep_on}, {@code wsrep_cluster_size},
 *                     ...; status only on a Galera node) and {@code rpl_semi_sync_master_enabled}
 * @param replica      the first row of {@code SHOW SLAVE STATUS} (lower-case names); empty when not a replica or not
 *                     allowed to look
 * @param viewReadable whether the application's user can read {@code mysql.wsrep_cluster_members} (Galera only)
 */
record ServerRole(
        String address,
        String error,
        boolean readOnly,
        Map<String, String> settings,
        Map<String, String> replica,
        boolean viewReadable) {

    /** @param server the index in {@code servers} of the server to read */
    static ServerRole read(ResilientDatabase db, Servers servers, int server) {
        String address = servers.addresses().get(server);
        try (Connection c = db.connectDirectly(server);
                Statement s = c.createStatement()) {
            boolean readOnly;
            try (ResultSet rs = s.executeQuery("SELECT @@global.read_only")) {
                rs.next();
                readOnly = rs.getInt(1) != 0;
            }
            Map<String, String> settings = new TreeMap<>();
            readNamed(
                    s,
                    "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('wsrep_on', 'wsrep_sync_wait', "
                            + "'wsrep_cluster_name', 'rpl_semi_sync_master_enabled')",
                    settings);
            boolean viewReadable = false;
            if (galera(settings)) {
                readNamed(
                        s,
                        "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_ready', 'wsrep_cluster_size', "
                                + "'wsrep_cluster_status', 'wsrep_local_state_comment', 'wsrep_incoming_addresses')",
                        settings);
                viewReadable = canRead(s, "SELECT COUNT(*) FROM mysql.wsrep_cluster_members");
            }
            // Only where a replica can be: looking needs a privilege many users lack, and the driver logs each refusal
            boolean mayReplicate = readOnly || servers.addresses().size() > 1;
            return new ServerRole(
                    address, null, readOnly, settings, mayReplicate ? replicaStatus(s) : Map.of(), viewReadable);
        } catch (SQLException e) {
            return new ServerRole(address, e.getMessage(), false, Map.of(), Map.of(), false);
        }
    }

    boolean galera() {
        return galera(settings);
    }

    private static boolean galera(Map<String, String> settings) {
        return "ON".equalsIgnoreCase(settings.get("wsrep_on"));
    }

    private static void readNamed(Statement s, String sql, Map<String, String> into) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                into.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2));
            }
        }
    }

    /** Answers, and as a Galera node is synced: a place writes can go. */
    boolean healthy() {
        return error == null && (!galera() || "Synced".equalsIgnoreCase(settings.get("wsrep_local_state_comment")));
    }

    boolean replicating() {
        return !replica.isEmpty();
    }

    private static Map<String, String> replicaStatus(Statement s) {
        Map<String, String> row = new TreeMap<>();
        try (ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
            if (rs.next()) {
                ResultSetMetaData meta = rs.getMetaData();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i).toLowerCase(Locale.ROOT), rs.getString(i));
                }
            }
        } catch (SQLException e) {
            // not allowed to look (REPLICATION CLIENT / SLAVE MONITOR): reported as not a replica we can see
        }
        return row;
    }

    private static boolean canRead(Statement s, String sql) {
        try (ResultSet rs = s.executeQuery(sql)) {
            return rs.next();
        } catch (SQLException e) {
            return false;
        }
    }
}
