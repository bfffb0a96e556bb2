package dev.steadfast.embedded;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory of the embedded MariaDB ({@code ./.steadfast/} by default) and its lock: whatever
 * changes it (installing, starting, joining, leaving) happens under an exclusive file lock, so several
 * {@code steadfast} processes never install twice or start two servers.
 */
public final class EmbeddedHome {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedHome.class);

    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private final Path dir;

    public EmbeddedHome(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    public Path dir() {
        return dir;
    }

    /** Work done while holding the directory's lock. */
    @FunctionalInterface
    public interface Locked<T> {
        T run() throws IOException;
    }

    public <T> T locked(Locked<T> work) throws IOException {
        if (!Files.exists(dir)) {
            // the data and the credentials of the embedded server are nobody else's business
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
            } catch (UnsupportedOperationException e) {
                Files.createDirectories(dir);
            }
        } else {
            OwnerOnly.restore(dir, OWNER_ONLY_DIR);
        }
        try (FileChannel channel =
                        FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = channel.lock()) {
            return work.run();
        }
    }

    /** The MariaDB binaries of this directory, installed on first use. Call under {@link #locked}. */
    MariaDbInstallation installationLocked() throws IOException {
        Path installDir = dir.resolve("mariadb");
        if (!Files.exists(installDir.resolve("installed"))) { // a first install, not a repair
            LOG.info(
                    "installing MariaDB {} under {} (once; this takes a few seconds)",
                    MariaDbInstallation.VERSION,
                    installDir);
        }
        return MariaDbInstallation.in(installDir);
    }

    /** The MariaDB binaries of this directory, installed on first use. */
    public MariaDbInstallation installation() throws IOException {
        return locked(this::installationLocked);
    }
}
