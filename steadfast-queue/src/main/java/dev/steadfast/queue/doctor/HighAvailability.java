package dev.steadfast.queue.doctor;

import dev.steadfast.jdbc.Servers;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The doctor's rules for clusters and replicas: how the URL names the servers, the Galera cluster's state as the
 * writer sees it, multi-writer risk, causal reads, and each replica's threads and lag. Pure, like {@link Diagnosis}.
 */
final class HighAvailability {
    private static final long LAG_WARN_SECONDS = 30;

    private final List<Finding> findings = new ArrayList<>();

    private HighAvailability() {}

    /** @param roles one per address of {@code servers}, in its order */
    static List<Finding> of(Servers servers, List<ServerRole> roles) {
        HighAvailability d = new HighAvailability();
        ServerRole writer = roles.get(servers.writer());
        d.servers(servers, roles);
        if (writer.galera()) {
            d.galera(servers, writer);
        }
        d.replication(servers, roles, writer);
        return List.copyOf(d.findings);
    }

    private void add(Severity severity, String check, String observed, String fix) {
        findings.add(new Finding(severity, check, observed, fix));
    }

    private void servers(Servers servers, List<ServerRole> roles) {
        if (servers.addresses().size() < 2) {
            return;
        }
        String each = roles.stream().map(HighAvailability::describe).collect(Collectors.joining("; "));
        String observed = servers.addresses().size() + " servers, one writer chosen by Steadfast, writing through "
                + servers.addresses().get(servers.writer()) + ": " + each;
        boolean someDown = roles.stream().anyMatch(r -> !r.healthy());
        if (roles.get(servers.writer()).error() != null
                || roles.get(servers.writer()).readOnly()) {
            add(
                    Severity.ERROR,
                    "servers",
                    observed,
                    "no server of the list takes writes: promote one (SET GLOBAL "
                            + "read_only = 0 on the new primary) or bring the cluster back");
        } else if (someDown) {
            add(
                    Severity.WARN,
                    "servers",
                    observed + ": not every server answers or is synced; a failure of the writer now has "
                            + "fewer places to go",
                    "bring the missing servers back");
        } else {
            add(Severity.OK, "servers", observed, "");
        }
    }

    private void galera(Servers servers, ServerRole writer) {
        String size = writer.settings().getOrDefault("wsrep_cluster_size", "?");
        String observed = "cluster '" + writer.settings().getOrDefault("wsrep_cluster_name", "?") + "': " + size
                + " node(s), " + writer.settings().getOrDefault("wsrep_cluster_status", "?") + ", this node "
                + writer.settings().getOrDefault("wsrep_local_state_comment", "?") + ", members "
                + writer.settings().getOrDefault("wsrep_incoming_addresses", "?");
        int nodes = parse(size);
        if (!"ON".equalsIgnoreCase(writer.settings().get("wsrep_ready"))
                || !"Primary".equalsIgnoreCase(writer.settings().get("wsrep_cluster_status"))) {
            add(
                    Severity.ERROR,
                    "galera",
                    observed + ": the node refuses application work (1047)",
                    "bring the cluster's primary component back (a majority of nodes), or bootstrap it from the most "
                            + "advanced node");
        } else if (nodes < 3) {
            add(
                    Severity.WARN,
                    "galera",
                    observed + ": fewer than three nodes; losing one loses the quorum",
                    "run three nodes, or two and a Galera arbitrator (garbd)");
        } else {
            add(Severity.OK, "galera", observed, "");
        }
        boolean driverManaged =
                !servers.singleWriter() && servers.addresses().get(0).contains(",");
        if (driverManaged) {
            add(
                    Severity.WARN,
                    "galera writers",
                    "the driver handles the hosts itself and can spread connections over "
                            + "the nodes ("
                            + servers.addresses().get(0)
                            + "): workers on different nodes claim the same rows and abort each "
                            + "other at certification (1213; replayed, but wasted)",
                    "write the nodes as a plain list "
                            + "(jdbc:mariadb://n1,n2,n3/db): Steadfast then writes through one node and moves on failure");
        } else if (servers.addresses().size() < 2 && nodes > 1) {
            add(
                    Severity.WARN,
                    "galera writers",
                    "the URL names one node of " + nodes + ": when it leaves the "
                            + "cluster, workers wait for it instead of moving on",
                    "name every node in order "
                            + "(jdbc:mariadb://n1,n2,n3/db); every process then writes through the first healthy one");
        } else {
            add(
                    Severity.OK,
                    "galera writers",
                    "one writer among " + servers.addresses().size()
                            + " nodes: no certification conflicts between Steadfast's own connections",
                    "");
        }
        String syncWait = writer.settings().getOrDefault("wsrep_sync_wait", "0");
        if ("0".equals(syncWait)) {
            add(
                    Severity.OK,
                    "wsrep_sync_wait",
                    "0: reads do not wait for the cluster; Steadfast reads the outcome of "
                            + "an interrupted COMMIT causally on its own (wsrep_sync_wait=1 for that read only)",
                    "");
        } else {
            add(
                    Severity.INFO,
                    "wsrep_sync_wait",
                    syncWait + ": every read waits for the cluster to catch up, which "
                            + "slows claims; Steadfast does not need it, as it writes and reads through one node",
                    "SET GLOBAL wsrep_sync_wait = 0 (and in the servers' configuration), unless another application"
                            + " on this cluster relies on it");
        }
        if (!writer.viewReadable()) {
            add(
                    Severity.WARN,
                    "cluster view",
                    "the application's user cannot read mysql.wsrep_cluster_members: a "
                            + "COMMIT cut on a node that died cannot be resolved on another (the job's outcome stays unknown)",
                    "GRANT SELECT ON mysql.wsrep_cluster_members TO <user>");
        }
    }

    private void replication(Servers servers, List<ServerRole> roles, ServerRole writer) {
        for (ServerRole role : roles) {
            if (!role.replicating()) {
                continue;
            }
            String io = role.replica().getOrDefault("slave_io_running", "?");
            String sql = role.replica().getOrDefault("slave_sql_running", "?");
            String lag = role.replica().get("seconds_behind_master");
            String observed = role.address() + " replicates from "
                    + role.replica().getOrDefault("master_host", "?")
                    + ":" + role.replica().getOrDefault("master_port", "?") + " (IO " + io + ", SQL " + sql
                    + ", " + (lag == null ? "lag unknown" : lag + " s behind") + ", GTID "
                    + role.replica().getOrDefault("using_gtid", "?") + ")" + (role.readOnly() ? ", read-only" : "");
            if (role == writer) {
                add(
                        Severity.WARN,
                        "replication",
                        observed + ": the writer is itself a replica; its own writes and "
                                + "the stream it applies can conflict",
                        "STOP SLAVE on the primary (a switchover that left " + "it replicating)");
            } else if (!"Yes".equalsIgnoreCase(io) || !"Yes".equalsIgnoreCase(sql)) {
                add(
                        Severity.ERROR,
                        "replication",
                        observed + ": replication stopped; a failover to it would lose " + "what it has not applied",
                        "SHOW SLAVE STATUS on it (Last_Error), fix, START SLAVE");
            } else if (lag != null && parse(lag) > LAG_WARN_SECONDS) {
                add(
                        Severity.WARN,
                        "replication",
                        observed + ": lagging; a failover now loses or delays that much",
                        "look for long transactions or an undersized replica");
            } else if (!role.readOnly()) {
                add(
                        Severity.WARN,
                        "replication",
                        observed + ": writable replica; a client writing to it diverges " + "from the primary",
                        "SET GLOBAL read_only = 1 on replicas");
            } else {
                add(Severity.OK, "replication", observed, "");
            }
        }
        boolean replicas = roles.stream().anyMatch(ServerRole::replicating);
        if (replicas && !writer.galera()) {
            boolean semiSync = "ON".equalsIgnoreCase(writer.settings().get("rpl_semi_sync_master_enabled"));
            add(
                    semiSync ? Severity.OK : Severity.INFO,
                    "failover",
                    "asynchronous replication" + (semiSync ? " with semi-sync acknowledgement" : "") + ": Steadfast "
                            + "resolves an interrupted COMMIT on the server it writes to after a failover; a commit the "
                            + "old primary acknowledged but never shipped is not there"
                            + (semiSync ? "; semi-sync makes every acknowledged commit reach a replica first" : ""),
                    semiSync
                            ? ""
                            : "SET GLOBAL rpl_semi_sync_master_enabled = ON (and _slave_ on replicas), so an "
                                    + "acknowledged commit is on a replica before a failover can lose it");
        }
    }

    private static String describe(ServerRole role) {
        if (role.error() != null) {
            return role.address() + " unreachable (" + role.error() + ")";
        }
        String state = role.galera()
                ? "Galera " + role.settings().getOrDefault("wsrep_local_state_comment", "?")
                : role.readOnly() ? "read-only" : "writable";
        return role.address() + " " + state;
    }

    private static int parse(String number) {
        try {
            return Integer.parseInt(number.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
