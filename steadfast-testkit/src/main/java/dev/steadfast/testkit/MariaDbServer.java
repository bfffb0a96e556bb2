package dev.steadfast.testkit;

import dev.steadfast.embedded.FileTrees;
import dev.steadfast.embedded.MariaDbInstallation;
import dev.steadfast.embedded.MariaDbProcess;
import dev.steadfast.embedded.PortAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A private MariaDB server for tests: own port, own data directory, its own flags (for example
 * {@code --wait-timeout=2}). It can be stopped, SIGKILLed and restarted on the same port and data.
 */
public final class MariaDbServer extends LoopbackServer implements AutoCloseable {
    private static MariaDbServer shared;

    private final MariaDbProcess process;
    private final Path dir;
    private volatile boolean shareable;

    private MariaDbServer(MariaDbProcess process, Path dir) {
        this.process = process;
        this.dir = dir;
    }

    /** Starts a new private server with the given extra mariadbd flags. */
    public static MariaDbServer launch(String... flags) {
        MariaDbInstallation binaries = MariaDbBinaries.get();
        try {
            Path dir = Files.createTempDirectory(binaries.root(), "server-");
            Path dataDir = dir.resolve("data");
            binaries.copyTemplateTo(dataDir);
            MariaDbProcess process = binaries.server(dataDir, dir, PortAllocator.freePort(), List.of(flags));
            MariaDbServer server = new MariaDbServer(process, dir);
            // a JVM that exits (even by System.exit) must not leave a server running
            Runtime.getRuntime().addShutdownHook(new Thread(server::destroy));
            process.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One server with default flags shared by all tests of this JVM that do not disturb it. */
    public static synchronized MariaDbServer shared() {
        if (shared == null) {
            MariaDbServer server = launch();
            server.shareable = true;
            shared = server;
        }
        return shared;
    }

    @Override
    public int port() {
        return process.port();
    }

    public boolean isRunning() {
        return process.isRunning();
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void stop() {
        process.stop();
    }

    @Override
    public void kill() {
        process.kill();
    }

    @Override
    public void start() {
        process.start();
    }

    /** The last lines of the server's error log, for failure messages. */
    public String logTail() {
        return process.logTail();
    }

    /**
     * Stops and deletes a private server. The shared server ignores this (JUnit closes parameters that
     * are AutoCloseable after each test) and goes when the JVM exits.
     */
    @Override
    public void close() {
        if (!shareable) {
            destroy();
        }
    }

    private void destroy() {
        process.stop();
        FileTrees.deleteQuietly(dir);
    }
}
