package dev.steadfast.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded MariaDB of one directory ({@code ./.steadfast/} by default), kept running between the
 * {@code steadfast} processes started there: the first one that needs it starts it, every later one finds it
 * running and answers in about a JVM's start, and it stays up until {@link #stop} ({@code steadfast db stop}) or until
 * it has been unused for a while ({@link IdleStop}).
 * Each process using it registers under {@code clients/} while it runs, so that a stop does not pull the server
 * from under a worker; a process that died without leaving (SIGKILL) is recognised by its pid and start time.
 * Whatever changes the directory happens under an exclusive file lock on {@code lock}, so two processes never
 * start two servers.
 *
 * <p>A record left by a server that is gone (a crash, a reboot) is recognised: its pid must still be a mariadbd
 * over this directory's data, started when recorded, and its port must greet as MariaDB; otherwise a new server
 * is started.
 *
 * <p>Layout: {@code mariadb/} (binaries and template, installed once), {@code data/} (the database),
 * {@code run/} (logs, pid file), {@code server.properties} (the running server), {@code clients/},
 * {@code last-port} (the port chosen once and kept: every start takes it again), {@code credentials} (the
 * application user's random password, owner-only; the directory itself is owner-only too). The server binds
 * to 127.0.0.1 only.
 */
public final class SharedEmbeddedServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SharedEmbeddedServer.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final String RECORD = "server.properties";
    private static final String LAST_PORT = "last-port";

    private final Path home;
    private final int port;
    private final boolean startedHere;
    private final Path clientFile;
    private final String password;
    private boolean closed;

    private SharedEmbeddedServer(Path home, int port, boolean startedHere, Path clientFile, String password) {
        this.home = home;
        this.port = port;
        this.startedHere = startedHere;
        this.clientFile = clientFile;
        this.password = password;
    }

    /**
     * Uses the server of {@code home}, installing and starting it when it is not running (it then stays up
     * after this process: see {@link #stop}).
     */
    public static SharedEmbeddedServer join(Path home) throws IOException {
        EmbeddedHome embeddedHome = new EmbeddedHome(home);
        Path dir = embeddedHome.dir();
        return embeddedHome.locked(() -> {
            Optional<ServerRecord> running = running(dir);
            boolean started = running.isEmpty();
            ServerRecord server = started ? start(embeddedHome, 0) : running.get();
            // the template's password is public knowledge: this home's server gets its own, in an owner-only file
            String password = EmbeddedCredentials.secure(server.port(), dir.resolve("credentials"));
            Path client = Files.createDirectories(dir.resolve("clients"))
                    .resolve(Long.toString(ProcessHandle.current().pid()));
            Files.writeString(
                    client,
                    ProcessHandle.current()
                            .info()
                            .startInstant()
                            .map(Instant::toString)
                            .orElse(""));
            return new SharedEmbeddedServer(dir, server.port(), started, client, password);
        });
    }

    /**
     * Starts the server of {@code home} unless it runs, and leaves it running.
     *
     * @param port the port to take (127.0.0.1), kept for later starts; 0: the kept one, or a free one the first time
     * @throws IOException also when it runs on another port than {@code port}, or {@code port} is taken
     */
    public static EmbeddedServerStatus start(Path home, int port) throws IOException {
        return start(home, port, null);
    }

    /**
     * Like {@link #start(Path, int)}, also keeping how long the server may stay unused before it stops itself.
     *
     * @param idleStop {@link Duration#ZERO}: never; null: as before ({@link IdleStop#DEFAULT} unless set)
     */
    public static EmbeddedServerStatus start(Path home, int port, Duration idleStop) throws IOException {
        EmbeddedHome embeddedHome = new EmbeddedHome(home);
        Path dir = embeddedHome.dir();
        return embeddedHome.locked(() -> {
            if (idleStop != null) {
                IdleStop.keepIdleTime(dir, idleStop); // a running server's watchdog reads it at its next look
            }
            Optional<ServerRecord> running = running(dir);
            if (running.isPresent() && port > 0 && running.get().port() != port) {
                throw new IOException("it already runs on port " + running.get().port()
                        + ": stop it first to move it to port " + port);
            }
            boolean started = running.isEmpty();
            ServerRecord server = started ? start(embeddedHome, port) : running.get();
            EmbeddedCredentials.secure(server.port(), dir.resolve("credentials"));
            return status(dir, Optional.of(server), started);
        });
    }

    /** Whether the server of {@code home} runs, where, and who uses it; creates nothing. */
    public static EmbeddedServerStatus status(Path home) throws IOException {
        EmbeddedHome embeddedHome = new EmbeddedHome(home);
        Path dir = embeddedHome.dir();
        if (!Files.exists(dir)) {
            return status(dir, Optional.empty(), false);
        }
        return embeddedHome.locked(() -> status(dir, running(dir), false));
    }

    /**
     * Stops the server of {@code home} cleanly (SIGTERM; the data stays).
     *
     * @param force stop it even while steadfast processes (a worker, the dashboard) use it
     * @return false when it was not running
     * @throws EmbeddedServerInUseException when processes use it and {@code force} is false
     */
    public static boolean stop(Path home, boolean force) throws IOException {
        EmbeddedHome embeddedHome = new EmbeddedHome(home);
        Path dir = embeddedHome.dir();
        if (!Files.exists(dir)) {
            return false;
        }
        return embeddedHome.locked(() -> {
            Path recordFile = dir.resolve(RECORD);
            Optional<ProcessHandle> server = ServerRecord.read(recordFile).flatMap(r -> r.process(dataDir(dir)));
            if (server.isEmpty()) {
                Files.deleteIfExists(recordFile);
                return false;
            }
            List<Long> clients = liveClients(dir);
            if (!clients.isEmpty() && !force) {
                throw new EmbeddedServerInUseException(clients);
            }
            LOG.info(
                    "stopping the embedded MariaDB in {} (pid {})",
                    dir,
                    server.get().pid());
            stopProcess(server.get());
            Files.deleteIfExists(recordFile);
            return true;
        });
    }

    private static EmbeddedServerStatus status(Path dir, Optional<ServerRecord> server, boolean startedHere)
            throws IOException {
        int port = server.map(ServerRecord::port).orElseGet(() -> lastPort(dir));
        return new EmbeddedServerStatus(
                dir,
                server.isPresent(),
                server.map(ServerRecord::pid).orElse(0L),
                port,
                dataDir(dir),
                FileTrees.size(dataDir(dir)),
                FileTrees.size(dir),
                liveClients(dir),
                IdleStop.idleTime(dir),
                startedHere);
    }

    /** The watchdog's look at the server, under the lock: stopped when no process has used it for {@code idle}. */
    static IdleStop.Outcome stopIfIdle(Path dir, long serverPid, Duration idle, Instant lastUse, Instant now)
            throws IOException {
        Path recordFile = dir.resolve(RECORD);
        Optional<ProcessHandle> server =
                ServerRecord.read(recordFile).filter(r -> r.pid() == serverPid).flatMap(r -> r.process(dataDir(dir)));
        if (server.isEmpty()) {
            return IdleStop.Outcome.GONE;
        }
        if (!liveClients(dir).isEmpty()) {
            return IdleStop.Outcome.IN_USE;
        }
        // a process arriving or leaving changes clients/ (and a start the record): both count as a use
        Instant used = lastUse;
        for (Path touched : List.of(dir.resolve("clients"), recordFile)) {
            if (Files.exists(touched)) {
                Instant modified = Files.getLastModifiedTime(touched).toInstant();
                used = modified.isAfter(used) ? modified : used;
            }
        }
        if (idle.isZero() || Duration.between(used, now).compareTo(idle) < 0) {
            return IdleStop.Outcome.WAITING;
        }
        stopProcess(server.get());
        Files.deleteIfExists(recordFile);
        return IdleStop.Outcome.STOPPED;
    }

    /** The recorded server if it is really running; a record it left behind (crash, reboot) is cleared. */
    private static Optional<ServerRecord> running(Path dir) throws IOException {
        Path recordFile = dir.resolve(RECORD);
        Optional<ServerRecord> record = ServerRecord.read(recordFile);
        if (record.isEmpty()) {
            return Optional.empty();
        }
        Optional<ProcessHandle> process = record.get().process(dataDir(dir));
        if (process.isPresent() && MariaDbGreeting.answers(record.get().port())) {
            return record;
        }
        if (process.isPresent()) {
            LOG.warn(
                    "the embedded MariaDB (pid {}) does not answer on port {}: restarting it",
                    record.get().pid(),
                    record.get().port());
            stopProcess(process.get());
        } else {
            LOG.info(
                    "the embedded MariaDB recorded in {} is gone (pid {} is not its mariadbd: a crash or a reboot): starting it again",
                    recordFile,
                    record.get().pid());
        }
        Files.deleteIfExists(recordFile);
        return Optional.empty();
    }

    private static ServerRecord start(EmbeddedHome home, int requestedPort) throws IOException {
        Path dir = home.dir();
        MariaDbInstallation installation = home.installationLocked();
        Path data = dataDir(dir);
        Path run = Files.createDirectories(dir.resolve("run"));
        stopUnrecorded(run.resolve("mariadb.pid"), data);
        Path init = run.resolve("first-start.sql");
        List<String> arguments = List.of();
        if (!Files.exists(data.resolve("mysql"))) {
            installation.copyTemplateTo(data);
            arguments = EmbeddedCredentials.firstStartArguments(dir.resolve("credentials"), init);
        }
        MariaDbProcess process = installation.keptServer(data, run, choosePort(dir, requestedPort), arguments);
        try {
            process.start();
        } finally {
            Files.deleteIfExists(init); // it holds the new password, which the credentials file keeps
        }
        ProcessHandle handle = ProcessHandle.of(process.pid()).orElseThrow();
        ServerRecord record = new ServerRecord(
                process.port(), handle.pid(), handle.info().startInstant().orElseThrow());
        record.write(dir.resolve(RECORD));
        Files.writeString(dir.resolve(LAST_PORT), Integer.toString(record.port()));
        try {
            IdleStop.launch(dir, record.pid());
        } catch (IOException e) {
            LOG.warn(
                    "could not start the idle stop of the embedded MariaDB ({}): it stays up until 'steadfast db stop'",
                    e.getMessage());
        }
        return record;
    }

    /** A mariadbd still running over the data without a record (the record was deleted): two servers must not share it. */
    private static void stopUnrecorded(Path pidFile, Path data) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            Optional<ProcessHandle> server =
                    ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> ServerRecord.isServerOf(h, data));
            if (server.isPresent()) {
                LOG.warn("a mariadbd (pid {}) runs over {} without a record: stopping it first", pid, data);
                stopProcess(server.get());
            }
        } catch (NumberFormatException e) {
            // a pid file cut short: nothing to stop
        }
    }

    /** The port asked for, else the kept one when it is free, else a free one (kept from now on). */
    private static int choosePort(Path dir, int requested) throws IOException {
        if (requested > 0) {
            if (!PortAllocator.isFree(requested)) {
                throw new IOException("port " + requested + " is taken on 127.0.0.1: choose another");
            }
            return requested;
        }
        int kept = lastPort(dir);
        int port = PortAllocator.freePort(kept);
        if (kept > 0 && port != kept) {
            LOG.warn(
                    "port {} of the embedded MariaDB (kept in {}) is taken by another program: it takes port {} from now on",
                    kept,
                    dir.resolve(LAST_PORT),
                    port);
        }
        return port;
    }

    /** The port of the previous server of this directory, so that clients configured with it keep working. */
    private static int lastPort(Path dir) {
        try {
            return Integer.parseInt(Files.readString(dir.resolve(LAST_PORT)).trim());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static Path dataDir(Path dir) {
        return dir.resolve("data");
    }

    public int port() {
        return port;
    }

    /** How long the server stays up unused before it stops itself ({@link Duration#ZERO}: until {@link #stop}). */
    public Duration idleStop() {
        return IdleStop.idleTime(home);
    }

    /** Whether this process started the server (false: it found it running). */
    public boolean startedHere() {
        return startedHere;
    }

    public Path dataDir() {
        return dataDir(home);
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

    /** Leaves the server, which keeps running for the next process (stop it with {@link #stop}). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Files.deleteIfExists(clientFile);
        } catch (IOException e) {
            LOG.debug("could not remove {}: {} (a dead process's file is cleared later)", clientFile, e.getMessage());
        }
    }

    /** Process ids of the live processes registered as using the server; a dead one's file is removed. */
    private static List<Long> liveClients(Path dir) throws IOException {
        Path clients = dir.resolve("clients");
        if (!Files.isDirectory(clients)) {
            return List.of();
        }
        List<Long> alive = new ArrayList<>();
        try (Stream<Path> files = Files.list(clients)) {
            for (Path client : files.toList()) {
                clientPid(client).ifPresent(alive::add);
            }
        }
        alive.sort(null);
        return alive;
    }

    private static Optional<Long> clientPid(Path client) {
        try {
            long pid = Long.parseLong(client.getFileName().toString());
            String start = Files.readString(client).trim();
            boolean alive = ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .map(h -> h.info()
                            .startInstant()
                            .map(Instant::toString)
                            .orElse("")
                            .equals(start))
                    .orElse(false);
            if (!alive) {
                Files.deleteIfExists(client);
            }
            return alive ? Optional.of(pid) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void stopProcess(ProcessHandle server) {
        server.destroy(); // SIGTERM: mariadbd shuts down cleanly
        try {
            server.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.destroyForcibly();
        } catch (Exception e) {
            LOG.warn(
                    "the embedded MariaDB (pid {}) did not stop within {} s; killing it",
                    server.pid(),
                    STOP_TIMEOUT.toSeconds());
            server.destroyForcibly();
            server.onExit().join();
        }
    }

    @Override
    public String toString() {
        return "embedded MariaDB on port " + port;
    }
}
