package dev.steadfast.testkit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * A primary and a replica with GTID replication (two private MariaDB servers): the replica read-only, and the two
 * operations a failover tool performs, a clean {@link #switchover()} and a {@link #failover()} after the primary
 * crashed. {@link #primary()} and {@link #replica()} follow the roles.
 */
public final class ReplicatedPair implements AutoCloseable {
    private static final String[] FLAGS = {
        "--log-bin=binlog", "--binlog-format=ROW", "--log-slave-updates=1", "--gtid-strict-mode=1"
    };

    private MariaDbServer primary;
    private MariaDbServer replica;

    private ReplicatedPair(MariaDbServer primary, MariaDbServer replica) {
        this.primary = primary;
        this.replica = replica;
    }

    /** Starts both servers (from the same initial data) and replication from the first to the second. */
    public static ReplicatedPair start() throws SQLException {
        MariaDbServer first = MariaDbServer.launch(withServerId(1));
        MariaDbServer second = MariaDbServer.launch(withServerId(2));
        second.execute("SET GLOBAL read_only = 1");
        ReplicatedPair pair = new ReplicatedPair(first, second);
        pair.replicate(second, first);
        return pair;
    }

    public MariaDbServer primary() {
        return primary;
    }

    public MariaDbServer replica() {
        return replica;
    }

    /** A URL naming the primary, then the replica: the list Steadfast chooses the writable one from. */
    public String url(JdbcDriver driver, String... parameters) {
        return primary.url(driver, parameters)
                .replace("127.0.0.1:" + primary.port(), "127.0.0.1:" + primary.port() + ",127.0.0.1:" + replica.port());
    }

    /**
     * A planned switchover: the primary turns read-only, the replica applies everything it has, becomes the writable
     * primary, and the old primary replicates from it.
     */
    public synchronized void switchover() throws SQLException {
        primary.execute("SET GLOBAL read_only = 1");
        String position = queryString(primary, "SELECT @@global.gtid_binlog_pos");
        if (replica.queryLong("SELECT MASTER_GTID_WAIT('" + position + "', 60)") != 0) {
            throw new IllegalStateException("replica did not reach " + position + " within 60 s");
        }
        promote(replica);
        primary.execute("SET GLOBAL gtid_slave_pos = @@global.gtid_binlog_pos");
        replicate(primary, replica);
        MariaDbServer old = primary;
        primary = replica;
        replica = old;
    }

    /**
     * A failover after a crash: the primary is SIGKILLed, the replica applies what it received and becomes the
     * writable primary. The old primary stays down (a commit it acknowledged but never shipped is gone with it).
     */
    public synchronized void failover() throws SQLException {
        primary.kill();
        replica.execute("STOP SLAVE IO_THREAD");
        awaitRelayApplied(replica, Duration.ofSeconds(60));
        promote(replica);
        MariaDbServer old = primary;
        primary = replica;
        replica = old;
    }

    private static void promote(MariaDbServer server) throws SQLException {
        server.execute("STOP SLAVE", "RESET SLAVE ALL", "SET GLOBAL read_only = 0");
    }

    private void replicate(MariaDbServer from, MariaDbServer to) throws SQLException {
        from.execute(
                "CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = " + to.port()
                        + ", MASTER_USER = '" + to.user() + "', MASTER_PASSWORD = '" + to.password()
                        + "', MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1, MASTER_SSL = 0",
                "START SLAVE");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!"Yes".equals(replicaStatus(from, "Slave_IO_Running"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("replication did not start: " + replicaStatus(from, "Last_IO_Error"));
            }
            sleep(50);
        }
    }

    private static void awaitRelayApplied(MariaDbServer server, Duration timeout) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String state = replicaStatus(server, "Slave_SQL_Running_State");
            String read = replicaStatus(server, "Read_Master_Log_Pos");
            String executed = replicaStatus(server, "Exec_Master_Log_Pos");
            boolean sameFile = Objects.equals(
                    replicaStatus(server, "Master_Log_File"), replicaStatus(server, "Relay_Master_Log_File"));
            if (sameFile && Objects.equals(read, executed)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("replica did not apply its relay log within " + timeout + ": " + state);
            }
            sleep(50);
        }
    }

    private static String replicaStatus(MariaDbServer server, String column) throws SQLException {
        try (Connection c = server.admin();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
            return rs.next() ? rs.getString(column) : null;
        }
    }

    private static String queryString(MariaDbServer server, String sql) throws SQLException {
        try (Connection c = server.admin();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String[] withServerId(int id) {
        String[] flags = Arrays.copyOf(FLAGS, FLAGS.length + 1);
        flags[FLAGS.length] = "--server-id=" + id;
        return flags;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        primary.close();
        replica.close();
    }
}
