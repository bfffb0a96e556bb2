package dev.steadfast.testkit;

import dev.steadfast.embedded.MariaDbProcess;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * One node of a {@link GaleraCluster}: a Debian {@code mariadbd} with the Galera provider, on its own SQL port and
 * group-communication ports on loopback. It can be SIGKILLed, stopped, started again (it rejoins by IST or SST) and
 * cut off from the others ({@link #isolate()}), as a network partition would.
 */
public final class GaleraNode extends LoopbackServer {
    private final String name;
    private final boolean galera;
    private final Function<Boolean, MariaDbProcess> processes;
    private volatile MariaDbProcess process;

    /** @param processes the node's server, given whether it bootstraps a new cluster ({@code --wsrep-new-cluster}) */
    GaleraNode(String name, boolean galera, Function<Boolean, MariaDbProcess> processes) {
        this.name = name;
        this.galera = galera;
        this.processes = processes;
        this.process = processes.apply(false);
    }

    /** {@code n1}, {@code n2}, ...: the node's {@code wsrep_node_name}. */
    public String name() {
        return name;
    }

    @Override
    public int port() {
        return process.port();
    }

    public boolean isRunning() {
        return process.isRunning();
    }

    /** SIGKILL: the node vanishes without leaving the cluster; the others evict it after the suspect timeout. */
    @Override
    public void kill() {
        process.kill();
    }

    /** Clean shutdown: the node leaves the cluster view at once. */
    @Override
    public void stop() {
        process.stop();
    }

    /** Starts the node again and waits until it has rejoined and is synced. */
    @Override
    public synchronized void start() {
        if (process.isRunning()) {
            return;
        }
        process = processes.apply(false);
        process.start();
        awaitSynced(Duration.ofSeconds(120));
    }

    /** Starts the node as the first of a new primary component (the others join it); the caller awaits it. */
    synchronized void bootstrap() {
        process = processes.apply(true);
        process.start();
    }

    /**
     * Cuts the node off from the group (Galera's {@code gmcast.isolate}): the others go on as a two-node primary
     * component, this one turns non-primary and refuses statements with 1047 until {@link #rejoin()}.
     */
    public void isolate() throws SQLException {
        execute("SET GLOBAL wsrep_provider_options = 'gmcast.isolate=1'");
    }

    /** Ends {@link #isolate()} and waits until the node has caught up (IST) and is synced. */
    public void rejoin() throws SQLException {
        execute("SET GLOBAL wsrep_provider_options = 'gmcast.isolate=0'");
        awaitSynced(Duration.ofSeconds(120));
    }

    /** Galera's status variables ({@code wsrep_%}) as this node reports them. */
    public Map<String, String> wsrepStatus() throws SQLException {
        Map<String, String> status = new HashMap<>();
        try (Connection c = admin();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'wsrep%'")) {
            while (rs.next()) {
                status.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2));
            }
        }
        return status;
    }

    /** Whether the node is in the primary component and synced (ready for application use). */
    public boolean isSynced() {
        try {
            if (!galera) {
                try (Connection c = admin()) {
                    return c.isValid(1);
                }
            }
            Map<String, String> status = wsrepStatus();
            return "ON".equals(status.get("wsrep_ready"))
                    && "Primary".equals(status.get("wsrep_cluster_status"))
                    && "4".equals(status.get("wsrep_local_state"));
        } catch (SQLException e) {
            return false;
        }
    }

    /** Waits until this node counts {@code size} members in its primary component. */
    public void awaitClusterSize(int size, Duration timeout) {
        if (!galera) {
            awaitSynced(timeout);
            return;
        }
        await(timeout, "cluster size " + size, () -> {
            try {
                Map<String, String> status = wsrepStatus();
                return Integer.toString(size).equals(status.get("wsrep_cluster_size"))
                        && "Primary".equals(status.get("wsrep_cluster_status"));
            } catch (SQLException e) {
                return false;
            }
        });
    }

    void awaitSynced(Duration timeout) {
        await(timeout, "synced", this::isSynced);
    }

    private void await(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "node " + name + " not " + what + " within " + timeout + ":\n" + logTail());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for node " + name, e);
            }
        }
    }

    /** The last lines of the node's error log, for failure messages. */
    public String logTail() {
        return process.logTail();
    }

    @Override
    public String toString() {
        return name + "@" + port();
    }
}
