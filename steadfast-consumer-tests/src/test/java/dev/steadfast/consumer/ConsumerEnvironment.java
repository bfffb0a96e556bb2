package dev.steadfast.consumer;

import java.nio.file.Path;

/** What the build passes to the consumer tests (failsafe's system properties). */
final class ConsumerEnvironment {
    private ConsumerEnvironment() {}

    /** The project's README.md, read as a user reads it. */
    static Path readme() {
        return path("steadfast.readme");
    }

    /** The version the reactor builds, which the README's snippets must name. */
    static String version() {
        return property("steadfast.version");
    }

    static String springBootVersion() {
        return property("spring-boot.version");
    }

    /** The isolated local repository invoker:install filled with the reactor's artifacts. */
    static Path repository() {
        return path("consumer.repository");
    }

    /** The outer build's local repository, read only. */
    static Path buildCache() {
        return path("maven.cache");
    }

    /** Where the consumer projects are written. */
    static Path workDir() {
        return path("consumer.work");
    }

    private static Path path(String name) {
        return Path.of(property(name)).toAbsolutePath().normalize();
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set: run through Maven (failsafe)");
        }
        return value;
    }
}
