package dev.steadfast.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded server's directory and credentials owner-only. A directory made by an older release, copied
 * with loose permissions or opened up by hand would otherwise expose the server's data and password to every local
 * user, silently: its permissions are taken back and the change is logged, or, when this user cannot change them
 * (another owner), the exposure is logged.
 */
final class OwnerOnly {
    private static final Logger LOG = LoggerFactory.getLogger(OwnerOnly.class);
    private static final Set<PosixFilePermission> OPEN = Set.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private OwnerOnly() {}

    /** Restores {@code wanted} on {@code path} when the group or others may use it; a missing path is left alone. */
    static void restore(Path path, Set<PosixFilePermission> wanted) {
        Set<PosixFilePermission> current;
        try {
            current = Files.getPosixFilePermissions(path);
        } catch (UnsupportedOperationException | IOException e) {
            return; // not a POSIX file system, or gone: nothing to restore
        }
        if (current.stream().noneMatch(OPEN::contains)) {
            return;
        }
        String was = PosixFilePermissions.toString(current);
        try {
            Files.setPosixFilePermissions(path, wanted);
            LOG.warn(
                    "{} was open to other users ({}): made it owner-only ({})",
                    path,
                    was,
                    PosixFilePermissions.toString(wanted));
        } catch (IOException | SecurityException e) {
            LOG.warn(
                    "{} is open to other users ({}) and could not be made owner-only ({}): chmod {} it",
                    path,
                    was,
                    e.getMessage(),
                    wanted.contains(PosixFilePermission.OWNER_EXECUTE) ? "700" : "600");
        }
    }
}
