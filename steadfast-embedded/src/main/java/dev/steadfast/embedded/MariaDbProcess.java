package dev.steadfast.embedded;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One mariadbd process on a fixed port and data directory. It can be stopped, SIGKILLed and started
 * again on the same port and data, which is what a server restart looks like to a client.
 */
public final class MariaDbProcess {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** InnoDB's redo log size for every server started here. */
    static final String LOG_FILE_SIZE = "16M";

    private static final List<Path> SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));

    private final Program program;
    private final Path dataDir;
    private final Path runDir;
    private final int port;
    private final List<String> extraArgs;
    private final boolean detached;
    private Process process;

    MariaDbProcess(
            MariaDbInstallation binaries,
            Path dataDir,
            Path runDir,
            int port,
            List<String> extraArgs,
            boolean detached) {
        this(
                new Program(binaries.mariadbd(), "root", binaries.baseDir(), binaries.libDir()),
                dataDir,
                runDir,
                port,
                extraArgs,
                detached);
    }

    private MariaDbProcess(
            Program program, Path dataDir, Path runDir, int port, List<String> extraArgs, boolean detached) {
        this.program = program;
        this.dataDir = dataDir;
        this.runDir = runDir;
        this.port = port;
        this.extraArgs = List.copyOf(extraArgs);
        this.detached = detached;
    }

    /**
     * A server of the machine's own installation (Debian's {@code mariadb-server}, which Galera needs), run as the
     * {@code mysql} user: {@code dataDir} and {@code runDir} must be writable by it.
     */
    public static MariaDbProcess system(Path mariadbd, Path dataDir, Path runDir, int port, List<String> extraArgs) {
        return new MariaDbProcess(new Program(mariadbd, "mysql", null, null), dataDir, runDir, port, extraArgs, false);
    }

    /** The server program, the user it runs as, and for the embedded binaries their base and library directories. */
    private record Program(Path mariadbd, String user, Path baseDir, Path libDir) {}

    public int port() {
        return port;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        if (!isRunning()) {
            throw new IllegalStateException("server on port " + port + " is not running");
        }
        return process.pid();
    }

    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        List<String> command = new ArrayList<>();
        if (detached) {
            // a session of its own: the terminal's Ctrl-C or hang-up of the command that started it does not reach it
            SETSID.stream().filter(Files::isExecutable).findFirst().ifPresent(setsid -> command.add(setsid.toString()));
        }
        command.addAll(List.of(program.mariadbd().toString(), "--no-defaults", "--user=" + program.user()));
        if (program.baseDir() != null) {
            command.add("--basedir=" + program.baseDir());
        }
        command.addAll(List.of(
                "--datadir=" + dataDir,
                "--port=" + port,
                "--bind-address=127.0.0.1",
                // Unix socket paths are limited to 107 bytes: keep it short, outside the deep work tree.
                "--socket="
                        + Path.of(
                                System.getProperty("java.io.tmpdir"),
                                "sf-" + ProcessHandle.current().pid() + "-" + port + ".sock"),
                "--pid-file=" + runDir.resolve("mariadb.pid"),
                "--log-error=" + errorLog(),
                "--skip-name-resolve",
                // TLS off: certificate generation costs seconds per start, and the fault proxy reads the protocol.
                "--skip-ssl",
                "--innodb-buffer-pool-size=64M",
                // the default redo log is 96 MiB per data directory: a local queue needs a fraction (resized at start)
                "--innodb-log-file-size=" + LOG_FILE_SIZE,
                "--max-connections=500"));
        command.addAll(extraArgs);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(runDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        runDir.resolve("stdout.log").toFile()));
        if (detached) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        if (program.libDir() != null) {
            builder.environment().put("LD_LIBRARY_PATH", program.libDir().toString());
        }
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start mariadbd", e);
        }
        awaitReady();
    }

    private Path errorLog() {
        return runDir.resolve("error.log");
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mariadbd exited with " + process.exitValue() + ":\n" + logTail());
            }
            if (acceptsConnections()) {
                return;
            }
            sleep(50);
        }
        throw new IllegalStateException(
                "mariadbd did not accept connections within " + START_TIMEOUT + ":\n" + logTail());
    }

    private boolean acceptsConnections() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            socket.setSoTimeout(1000);
            // The server greets as soon as it is ready; a listening socket alone is not enough.
            return socket.getInputStream().read() >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Clean shutdown (SIGTERM), waiting until the process is gone. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        waitForExit(Duration.ofSeconds(60));
    }

    /** SIGKILL: the server dies at once, without flushing or closing client connections gracefully. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        waitForExit(Duration.ofSeconds(30));
    }

    private void waitForExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(errorLog(), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no error log: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for mariadbd", e);
        }
    }
}
