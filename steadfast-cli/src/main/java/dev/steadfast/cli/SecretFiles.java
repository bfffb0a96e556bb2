package dev.steadfast.cli;

import dev.steadfast.queue.text.Redactor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where secrets may come from on the command line. A flag value shows in {@code ps} to every user of the
 * machine, so secrets come from the environment or from files; a file others can read is warned about
 * (a Kubernetes secret mounted 0644 is common, so it is not refused).
 */
public final class SecretFiles {
    private static final Logger LOG = LoggerFactory.getLogger(SecretFiles.class);

    private SecretFiles() {}

    /** Warns when {@code file}, given with {@code flag}, can be read by users other than its owner's group. */
    public static void checkPrivate(Path file, String flag) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("{} {} is readable by every user of this machine: chmod 600 it", flag, file);
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system, or not readable: reading it will say so
        }
    }

    /**
     * Refuses a database URL given as a flag value when it carries a password: {@code ps} would show it.
     *
     * @param fromEnvironment whether the value came from {@code STEADFAST_URL} (which {@code ps} does not show)
     */
    public static void refusePasswordInFlag(String url, boolean fromEnvironment) {
        if (url != null && !fromEnvironment && !Redactor.urlSecrets(url).isEmpty()) {
            throw UserException.usage(
                    "--url carries a password, which 'ps' shows to every user of this machine: put the"
                            + " password in STEADFAST_PASSWORD or --password-file, or pass the whole URL in STEADFAST_URL");
        }
    }
}
