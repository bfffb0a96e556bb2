package dev.steadfast.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.Set;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ParseResult;

/**
 * The database's start-up report ({@code steadfast database ready: MariaDB 11.4 wait_timeout=... -> maxLifetime=...})
 * belongs in the log of a process that keeps running; a one-shot command ({@code enqueue}, {@code stats}) printing it
 * every time is noise. So for those the library's connection layer logs warnings only, unless the user asked for
 * debug or trace lines. The library keeps logging it at INFO for applications.
 */
public final class ShortCommandLogging {
    /** Commands that keep running: their log starts with what they connected to. */
    private static final Set<String> LONG_RUNNING = Set.of("work", "serve", "demo");

    private static final String DATABASE_LOGGER = "dev.steadfast.jdbc.ResilientDatabase";

    private ShortCommandLogging() {}

    /** Sets the connection layer's log level for the command about to run. */
    public static void apply(ParseResult parsed) {
        ParseResult command = parsed;
        while (command.hasSubcommand()) {
            command = command.subcommand();
        }
        if (LoggerFactory.getLogger(DATABASE_LOGGER) instanceof Logger database
                && LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            boolean asked = root.getEffectiveLevel().toInt() <= Level.DEBUG_INT; // --log-level debug: everything
            boolean longRunning = LONG_RUNNING.contains(command.commandSpec().name())
                    && command.commandSpec().parent() != null
                    && command.commandSpec().parent().parent() == null;
            database.setLevel(longRunning || asked ? null : Level.WARN);
        }
    }
}
