package dev.steadfast.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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
            return Optional.of(new ServerRecord(Integer.parseInt(p.getProperty("port")),
                    Long.parseLong(p.getProperty("pid")), Instant.parse(p.getProperty("processStart"))));
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
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The mariadbd process, if it is still the one recorded. */
    Optional<ProcessHandle> process() {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(h -> h.info().startInstant().map(processStart::equals).orElse(false));
    }
}
