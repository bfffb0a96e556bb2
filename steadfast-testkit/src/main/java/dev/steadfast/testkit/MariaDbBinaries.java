package dev.steadfast.testkit;

import dev.steadfast.embedded.FileTrees;
import dev.steadfast.embedded.MariaDbInstallation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The MariaDB installation of this test JVM: installed once, under a directory of this process alone,
 * and deleted when the JVM exits. Each server copies its template data.
 */
final class MariaDbBinaries {
    private static MariaDbInstallation instance;

    private MariaDbBinaries() {}

    static synchronized MariaDbInstallation get() {
        if (instance == null) {
            try {
                Path root = Files.createTempDirectory(workRoot(), "mariadb-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> FileTrees.deleteQuietly(root)));
                instance = MariaDbInstallation.in(root);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    private static Path workRoot() throws IOException {
        Path target = Path.of("target");
        Path root = Files.isDirectory(target)
                ? target.resolve("testkit")
                : Path.of(System.getProperty("java.io.tmpdir"), "steadfast-testkit");
        return Files.createDirectories(root.toAbsolutePath());
    }
}
