package dev.steadfast.cli.plugins;

import dev.steadfast.cli.UserException;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jars a plugin jar pulls in through its manifest's {@code Class-Path}: the class loader opens them as it opens the
 * plugin, so each one, and the directory holding it, passes the same checks as the plugins themselves
 * ({@link PluginLoader#checkTrusted}), and so do the jars they pull in. Entries are resolved as the JDK resolves them:
 * against the jar's own location, non-file URLs ignored (the JDK ignores them for a local jar). A directory entry is
 * refused (the files under it would go unchecked); a missing jar is skipped, as the JDK skips it, when its directory
 * passes the checks (nobody else can put it there later).
 */
final class ManifestClassPath {
    private static final Logger LOG = LoggerFactory.getLogger(ManifestClassPath.class);

    private ManifestClassPath() {}

    /** Checks every jar {@code plugin}'s manifest pulls in, transitively; a refusal is one line naming the plugin. */
    static void check(Path plugin) {
        check(plugin, plugin, new HashSet<>());
    }

    private static void check(Path plugin, Path jar, Set<Path> seen) {
        if (!seen.add(jar.toAbsolutePath().normalize())) {
            return;
        }
        String classPath = classPath(jar);
        if (classPath == null || classPath.isBlank()) {
            return;
        }
        for (String entry : classPath.trim().split("\\s+")) {
            Path target = resolve(plugin, jar, entry);
            if (target == null) {
                continue;
            }
            String where =
                    " (in the Class-Path of plugin " + plugin + (jar.equals(plugin) ? "" : ", through " + jar) + ")";
            if (entry.endsWith("/") || Files.isDirectory(target)) {
                throw UserException.usage("refusing plugin " + plugin + ": its Class-Path names the directory " + target
                        + ", whose files are not checked; package those classes as a jar");
            }
            Path dir = target.toAbsolutePath().getParent();
            if (!Files.exists(target)) {
                if (dir == null || !Files.isDirectory(dir)) {
                    throw UserException.usage("refusing plugin " + plugin + ": its Class-Path names " + target
                            + ", which does not exist, in a directory that does not either");
                }
                PluginLoader.checkTrusted(dir, where);
                LOG.warn("plugin {}: its Class-Path names {}, which does not exist: not loaded", plugin, target);
                continue;
            }
            PluginLoader.checkTrusted(dir, where);
            PluginLoader.checkTrusted(target, where);
            LOG.info("loading {}{} (sha256 {})", target, where, PluginLoader.sha256(target));
            check(plugin, target, seen);
        }
    }

    private static String classPath(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            return manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
        } catch (IOException e) {
            throw UserException.usage("cannot read plugin " + jar + " as a jar: " + e.getMessage());
        }
    }

    /** The file an entry names, as {@code URLClassPath} resolves it for a local jar; null for what the JDK ignores. */
    private static Path resolve(Path plugin, Path jar, String entry) {
        try {
            URL url = new URL(jar.toAbsolutePath().toUri().toURL(), entry);
            if (!"file".equalsIgnoreCase(url.getProtocol())) {
                return null;
            }
            return Path.of(url.toURI());
        } catch (MalformedURLException | URISyntaxException | IllegalArgumentException e) {
            throw UserException.usage("refusing plugin " + plugin + ": its Class-Path entry '" + entry
                    + "' is not a valid path: " + e.getMessage());
        }
    }
}
