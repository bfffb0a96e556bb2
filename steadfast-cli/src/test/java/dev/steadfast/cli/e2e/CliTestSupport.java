package dev.steadfast.cli.e2e;

import dev.steadfast.testkit.TestDatabase;
import java.nio.file.Path;

/** Pointing the command at test servers. */
final class CliTestSupport {
    /** One embedded home for every test of this JVM: MariaDB is installed there once. */
    static final Path EMBEDDED_HOME = Path.of("target", "it-embedded-home").toAbsolutePath();

    private CliTestSupport() {}

    /** A command line for {@code server}, user and password passed the way operators pass them. */
    static Cli against(Path workDir, TestDatabase server) {
        return new Cli(workDir).env("STEADFAST_USER", server.user()).env("STEADFAST_PASSWORD", server.password());
    }

    /** Asserts the error output is one-line messages, no stack trace. */
    static boolean hasStackTrace(String stderr) {
        return stderr.contains("\tat ") || stderr.contains("Exception in thread");
    }
}
