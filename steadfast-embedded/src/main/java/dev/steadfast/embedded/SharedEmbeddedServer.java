package dev.steadfast.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The embedded MariaDB of one directory ({@code ./.steadfast/} by default), shared by every
 * {@code steadfast} process started there: the first starts it, the others find it running, and the
 * last one to leave stops it. Each process registers itself under {@code clients/}; a process that died
 * without leaving (SIGKILL) is recognised by its pid and start time and no longer counted. All of it
 * happens under an exclusive file lock on {@code lock}, so two processes never start two servers.
 *
 * <p>Layout: {@code mariadb/} (binaries and template, installed once), {@code data/} (the database),
 * {@code run/} (logs, pid file), {@code server.properties}, {@code clients/}, {@code last-port} (the next
 * start takes the same port when it is free), {@code credentials} (the application user's random password,
 * owner-only; the directory itself is owner-only too).
 */
public final class SharedEmbeddedServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SharedEmbeddedServer.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final EmbeddedHome embeddedHome;
    private final Path home;
    private final int port;
    private final boolean startedHere;
    private final Path clientFile;
    private final String password;
    private boolean closed;

    private SharedEmbeddedServer(EmbeddedHome home, int port, boolean startedHere, Path clientFile, String password) {
        this.embeddedHome = home;
        this.home = home.dir();
        this.port = port;
        this.startedHere = startedHere;
        this.clientFile = clientFile;
        this.password = password;
    }

    /** Joins the server of {@code home}, installing and starting it when it is not running. */
    public static SharedEmbeddedServer join(Path home) throws IOException {
        EmbeddedHome embeddedHome = new EmbeddedHome(home);
        Path dir = embeddedHome.dir();
        return embeddedHome.locked(() -> {
            Files.createDirectories(dir.resolve("clients"));
            Optional<ServerRecord> running = ServerRecord.read(dir.resolve("server.properties"))
                    .filter(r -> r.process().isPresent() && acceptsConnections(r.port()));
            boolean started = running.isEmpty();
            ServerRecord server = started ? start(embeddedHome) : running.get();
            // the template's password is public knowledge: this home's server gets its own, in an owner-only file
            String password = EmbeddedCredentials.secure(server.port(), dir.resolve("credentials"));
            Path client = dir.resolve("clients").resolve(Long.toString(ProcessHandle.current().pid()));
            Files.writeString(client, ProcessHandle.current().info().startInstant().map(Instant::toString).orElse(""));
            return new SharedEmbeddedServer(embeddedHome, server.port(), started, client, password);
        });
    }

    private static ServerRecord start(EmbeddedHome home) throws IOException {
        Path dir = home.dir();
        MariaDbInstallation installation = home.installationLocked();
        Path data = dir.resolve("data");
        Path run = Files.createDirectories(dir.resolve("run"));
        Path init = run.resolve("first-start.sql");
        List<String> arguments = List.of();
        if (!Files.exists(data.resolve("mysql"))) {
            installation.copyTemplateTo(data);
            arguments = EmbeddedCredentials.firstStartArguments(dir.resolve("credentials"), init);
        }
        MariaDbProcess process = installation.server(data, run, PortAllocator.freePort(lastPort(dir)), arguments);
        try {
            process.start();
        } finally {
            Files.deleteIfExists(init); // it holds the new password, which the credentials file keeps
        }
        ProcessHandle handle = ProcessHandle.of(process.pid()).orElseThrow();
        ServerRecord record = new ServerRecord(process.port(), handle.pid(), handle.info().startInstant().orElseThrow());
        record.write(dir.resolve("server.properties"));
        Files.writeString(dir.resolve("last-port"), Integer.toString(record.port()));
        return record;
    }

    /** The port of the previous server of this directory, so that clients configured with it keep working. */
    private static int lastPort(Path dir) {
        try {
            return Integer.parseInt(Files.readString(dir.resolve("last-port")).trim());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    public int port() {
        return port;
    }

    /** Whether this process started the server (false: it found it running). */
    public boolean startedHere() {
        return startedHere;
    }

    public Path dataDir() {
        return home.resolve("data");
    }

    public String jdbcUrl() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + MariaDbInstallation.DATABASE;
    }

    public String user() {
        return MariaDbInstallation.USER;
    }

    /** This home's own random password (kept in {@code credentials}, readable by its owner only). */
    public String password() {
        return password;
    }

    /** Leaves the server; the last process to leave stops it cleanly. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            embeddedHome.locked(() -> {
                Files.deleteIfExists(clientFile);
                if (liveClients() == 0) {
                    stopServer();
                }
                return null;
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not leave the embedded server in " + home, e);
        }
    }

    private long liveClients() throws IOException {
        try (Stream<Path> clients = Files.list(home.resolve("clients"))) {
            return clients.filter(this::alive).count();
        }
    }

    /** A registered client counts while its process lives; a dead one's file is removed. */
    private boolean alive(Path client) {
        try {
            long pid = Long.parseLong(client.getFileName().toString());
            String start = Files.readString(client).trim();
            boolean alive = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .map(h -> h.info().startInstant().map(Instant::toString).orElse("").equals(start))
                    .orElse(false);
            if (!alive) {
                Files.deleteIfExists(client);
            }
            return alive;
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    private void stopServer() throws IOException {
        Path recordFile = home.resolve("server.properties");
        Optional<ProcessHandle> server = ServerRecord.read(recordFile).flatMap(ServerRecord::process);
        if (server.isPresent()) {
            LOG.info("last steadfast process in {} is leaving: stopping the embedded MariaDB", home);
            server.get().destroy(); // SIGTERM: mariadbd shuts down cleanly
            try {
                server.get().onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.warn("the embedded MariaDB did not stop within {} s; killing it", STOP_TIMEOUT.toSeconds());
                server.get().destroyForcibly();
            }
        }
        Files.deleteIfExists(recordFile);
    }

    private static boolean acceptsConnections(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(2000);
            return socket.getInputStream().read() >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "embedded MariaDB on port " + port;
    }
}
