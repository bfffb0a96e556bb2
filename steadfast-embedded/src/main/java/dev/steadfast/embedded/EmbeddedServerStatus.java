package dev.steadfast.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The embedded server of a directory as {@code steadfast db status} shows it.
 *
 * @param home       the directory ({@code ./.steadfast/} by default)
 * @param running    whether its mariadbd runs and answers
 * @param pid        the mariadbd's process id, 0 when not running
 * @param port       the port it listens on (127.0.0.1), or the port it will take at its next start (0: not chosen yet)
 * @param dataDir    where its data is
 * @param dataBytes  bytes in {@code dataDir}
 * @param totalBytes bytes in the whole directory (binaries, template and data)
 * @param clients    process ids of the live steadfast processes using it
 * @param idleStop   how long it stays up unused before it stops itself ({@link java.time.Duration#ZERO}: never)
 * @param startedHere whether this call started it
 */
public record EmbeddedServerStatus(
        Path home,
        boolean running,
        long pid,
        int port,
        Path dataDir,
        long dataBytes,
        long totalBytes,
        List<Long> clients,
        Duration idleStop,
        boolean startedHere) {
    public EmbeddedServerStatus {
        clients = List.copyOf(clients);
    }
}
