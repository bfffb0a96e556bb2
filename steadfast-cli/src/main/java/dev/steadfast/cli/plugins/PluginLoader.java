package dev.steadfast.cli.plugins;

import dev.steadfast.cli.UserException;
import dev.steadfast.queue.JobHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads user handlers from the jars of a directory: each jar lists its {@link JobHandler}s for ServiceLoader. */
public final class PluginLoader {
    private static final Logger LOG = LoggerFactory.getLogger(PluginLoader.class);

    private PluginLoader() {}

    /**
     * A plugin runs with the worker's rights and sees its database: whoever can replace a jar, or the
     * directory's entries, owns the worker. Refused: owned by another user than the one running the worker,
     * or writable by the group or by everyone.
     */
    static void checkTrusted(Path path) {
        checkTrusted(path, "");
    }

    /** @param where what names the path, after it (which plugin's Class-Path), or empty */
    static void checkTrusted(Path path, String where) {
        try {
            Path real = path.toRealPath();
            String owner = Files.getOwner(real).getName();
            String me = System.getProperty("user.name");
            if (!owner.equals(me)) {
                throw UserException.usage(
                        "refusing plugin path " + path + where + ": it is owned by '" + owner + "', not by '" + me
                                + "' who runs this worker (chown it, or install the plugins as this user)");
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(real);
            if (permissions.contains(PosixFilePermission.GROUP_WRITE)
                    || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw UserException.usage("refusing plugin path " + path + where
                        + ": other users can write to it (chmod go-w " + path + ")");
            }
        } catch (UnsupportedOperationException e) {
            LOG.warn("cannot check who may change plugin path {} on this file system", path);
        } catch (IOException e) {
            throw UserException.usage("cannot inspect plugin path " + path + ": " + e.getMessage());
        }
    }

    static String sha256(Path jar) {
        try (InputStream in = Files.newInputStream(jar)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw UserException.usage("cannot read plugin " + jar + ": " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /** The handlers found in {@code dir}'s jars; a missing directory or a broken plugin is a clear error. */
    public static List<JobHandler<?>> load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw UserException.usage("--plugins " + dir + " is not a directory");
        }
        checkTrusted(dir);
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path jar :
                    files.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                checkTrusted(jar);
                LOG.info("loading plugin {} (sha256 {})", jar.toAbsolutePath(), sha256(jar));
                ManifestClassPath.check(jar);
                jars.add(jar.toUri().toURL());
            }
        } catch (MalformedURLException e) {
            throw UserException.usage("bad plugin path in " + dir + ": " + e.getMessage());
        } catch (IOException e) {
            throw UserException.usage("cannot list --plugins " + dir + ": " + e.getMessage());
        }
        if (jars.isEmpty()) {
            throw UserException.usage("--plugins " + dir + " holds no .jar files");
        }
        // Not closed: the handlers' classes are used for the life of the worker.
        URLClassLoader loader = new URLClassLoader(jars.toArray(URL[]::new), PluginLoader.class.getClassLoader());
        List<JobHandler<?>> handlers = new ArrayList<>();
        try {
            for (JobHandler<?> handler : ServiceLoader.load(JobHandler.class, loader)) {
                handlers.add(handler);
            }
        } catch (ServiceConfigurationError e) {
            throw UserException.failure("a plugin in " + dir + " cannot be loaded: " + e.getMessage(), e);
        }
        if (handlers.isEmpty()) {
            throw UserException.usage("no job handlers in " + dir + ": a plugin jar lists its handler classes in "
                    + "META-INF/services/" + JobHandler.class.getName());
        }
        return handlers;
    }
}
