package dev.steadfast.cli.plugins;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadfast.cli.UserException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jars a plugin's manifest pulls in pass the plugins' own checks, with real jars on disk. */
class ManifestClassPathTest {
    @TempDir
    Path dir;

    @Test
    void jarsNamedByClassPathAreCheckedLikePluginsTransitively() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Path plugin =
                jar(plugins.resolve("plugin.jar"), "../lib/dep.jar lib-missing.jar https://example.com/remote.jar");
        Path dep = jar(lib.resolve("dep.jar"), null);
        assertThatCode(() -> ManifestClassPath.check(plugin))
                .as("trusted jars, a missing one in a trusted directory, a remote" + " URL the JDK ignores")
                .doesNotThrowAnyException();

        Files.setPosixFilePermissions(dep, PosixFilePermissions.fromString("rw-rw-r--"));
        assertThatThrownBy(() -> ManifestClassPath.check(plugin))
                .isInstanceOf(UserException.class)
                .hasMessage("refusing plugin path " + dep + " (in the Class-Path of plugin " + plugin
                        + "): other users can write" + " to it (chmod go-w " + dep + ")");
        Files.setPosixFilePermissions(dep, PosixFilePermissions.fromString("rw-r--r--"));

        // whoever may write to the directory may replace the jar
        Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> ManifestClassPath.check(plugin)).hasMessageStartingWith("refusing plugin path " + lib);
        Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rwx------"));

        // and the jars that jar pulls in
        Path open = Files.createDirectories(dir.resolve("open"));
        jar(open.resolve("deeper.jar"), null);
        jar(dep, "../open/deeper.jar");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> ManifestClassPath.check(plugin))
                .hasMessageContaining("refusing plugin path " + open)
                .hasMessageContaining(", through " + dep);
        jar(dep, null);

        Path withDirectory = jar(plugins.resolve("classes.jar"), "../lib/");
        assertThatThrownBy(() -> ManifestClassPath.check(withDirectory))
                .hasMessageContaining("its Class-Path names the directory");
        Path nowhere = jar(plugins.resolve("nowhere.jar"), "/no/such/dir/x.jar");
        assertThatThrownBy(() -> ManifestClassPath.check(nowhere))
                .hasMessageContaining("which does not exist, in a directory that does not either");
    }

    private static Path jar(Path path, String classPath) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (classPath != null) {
            manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        }
        try (OutputStream out = Files.newOutputStream(path);
                JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.closeEntry();
        }
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
        return path;
    }
}
