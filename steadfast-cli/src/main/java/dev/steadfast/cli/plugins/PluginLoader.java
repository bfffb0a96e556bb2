package dev.steadfast.cli.plugins;

import dev.steadfast.cli.UserException;
import dev.steadfast.queue.JobHandler;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/** Loads user handlers from the jars of a directory: each jar lists its {@link JobHandler}s for ServiceLoader. */
public final class PluginLoader {
    private PluginLoader() {
    }

    /** The handlers found in {@code dir}'s jars; a missing directory or a broken plugin is a clear error. */
    public static List<JobHandler<?>> load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw UserException.usage("--plugins " + dir + " is not a directory");
        }
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
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
