package dev.steadfast.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Properties;

/**
 * The running embedded server as written to {@code server.properties}: its port and the pid and start
 * time of its mariadbd (the start time tells a live server from a recycled pid).
 */
record ServerRecord(int port, long pid, Instant processStart) {

    static Optional<ServerRecord> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        try {
            return Optional.of(new ServerRecord(
                    Integer.parseInt(p.getProperty("port")),
                    Long.parseLong(p.getProperty("pid")),
                    Instant.parse(p.getProperty("processStart"))));
        } catch (RuntimeException corrupt) {
            return Optional.empty();
        }
    }

    void write(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty("port", Integer.toString(port));
        p.setProperty("pid", Long.toString(pid));
        p.setProperty("processStart", processStart.toString());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, "the embedded MariaDB of this directory");
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The mariadbd process, if it is still the one recorded: same pid and start time (a pid is reused after a
     * reboot), and a mariadbd over {@code dataDir} (the pid may be any program's now).
     */
    Optional<ProcessHandle> process(Path dataDir) {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(h -> h.info().startInstant().map(processStart::equals).orElse(false))
                .filter(h -> isServerOf(h, dataDir));
    }

    /** Whether {@code process} is a mariadbd over {@code dataDir}. */
    static boolean isServerOf(ProcessHandle process, Path dataDir) {
        ProcessHandle.Info info = process.info();
        boolean mariadbd = info.command().map(c -> c.endsWith("/mariadbd")).orElse(false);
        // the arguments are readable for our own processes on Linux; where they are not, the program's name must do
        boolean sameData = info.arguments()
                .map(args -> Arrays.asList(args).contains("--datadir=" + dataDir))
                .orElse(true);
        return mariadbd && sameData;
    }
}
