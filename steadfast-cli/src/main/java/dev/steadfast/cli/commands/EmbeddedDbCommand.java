package dev.steadfast.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.cli.DurationConverter;
import dev.steadfast.cli.ExitCode;
import dev.steadfast.cli.UserException;
import dev.steadfast.cli.connect.DatabaseConnector;
import dev.steadfast.embedded.EmbeddedPlatform;
import dev.steadfast.embedded.EmbeddedServerInUseException;
import dev.steadfast.embedded.EmbeddedServerStatus;
import dev.steadfast.embedded.SharedEmbeddedServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code steadfast db start|stop|status}: the embedded MariaDB of a directory, which commands without {@code --url}
 * start on demand and leave running so that the next command answers at once.
 */
@Command(
        name = "db",
        mixinStandardHelpOptions = true,
        description = {
            "The embedded MariaDB (commands without --url): start it, stop it, show it.",
            "A command that needs it starts it and leaves it running for the next ones, until it has been unused for an hour"
                    + " (db start --idle-stop) or until 'steadfast db stop'."
        },
        subcommands = {EmbeddedDbCommand.Start.class, EmbeddedDbCommand.Stop.class, EmbeddedDbCommand.Status.class})
public final class EmbeddedDbCommand implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: start, stop or status");
    }

    /** What the three share: the directory and the output. */
    abstract static class Action implements Callable<Integer> {
        @Option(
                names = "--home",
                defaultValue = "${env:STEADFAST_HOME:-.steadfast}",
                paramLabel = "DIR",
                description = "Directory of the embedded MariaDB (default: ${DEFAULT-VALUE}).")
        Path home;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        UserException failed(String what, IOException e) {
            return UserException.failure(
                    "cannot " + what + " the embedded MariaDB in " + home.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /** {@code db start}. */
    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description =
                    "Start the embedded MariaDB (installing it the first time) and leave it running; nothing to do when it runs.")
    static final class Start extends Action {
        @Option(
                names = "--port",
                paramLabel = "PORT",
                description =
                        "Port to listen on (127.0.0.1 only), kept for later starts (default: the kept one, or a free one the first time).")
        int port;

        @Option(
                names = "--idle-stop",
                paramLabel = "DURATION",
                converter = DurationConverter.class,
                description =
                        "Stop it once no steadfast process has used it for this long, 0 for never; kept for later starts"
                                + " (default: the kept one, else 1h).")
        Duration idleStop;

        @Option(names = "--json", description = "Print the status as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            if (port < 0 || port > 65535) {
                throw UserException.usage("--port must be between 1 and 65535 (got " + port + ")");
            }
            EmbeddedPlatform.problemHere().ifPresent(problem -> {
                throw UserException.failure(problem);
            });
            EmbeddedServerStatus status;
            try {
                status = SharedEmbeddedServer.start(home, port, idleStop);
            } catch (IOException e) {
                throw failed("start", e);
            }
            if (json) {
                out().println(JSON.writeValueAsString(Status.toJson(status)));
            } else {
                out().println("embedded MariaDB " + (status.startedHere() ? "started" : "already running")
                        + " on 127.0.0.1:"
                        + status.port() + " (pid " + status.pid() + ", data in " + status.dataDir() + "); it stays up "
                        + DatabaseConnector.untilStopped(status.idleStop()));
            }
            return ExitCode.OK;
        }
    }

    /** {@code db stop}. */
    @Command(
            name = "stop",
            mixinStandardHelpOptions = true,
            description =
                    "Stop the embedded MariaDB cleanly (its data stays). Refused while a worker or the dashboard uses it, unless --force.")
    static final class Stop extends Action {
        @Option(
                names = "--force",
                description = "Stop it even while steadfast processes use it (they lose their database).")
        boolean force;

        @Override
        public Integer call() {
            try {
                boolean stopped = SharedEmbeddedServer.stop(home, force);
                out().println(
                                stopped
                                        ? "stopped the embedded MariaDB in " + home.toAbsolutePath()
                                        : "the embedded MariaDB in " + home.toAbsolutePath() + " was not running");
                return ExitCode.OK;
            } catch (EmbeddedServerInUseException e) {
                throw UserException.failure(
                        "not stopping the embedded MariaDB in " + home.toAbsolutePath() + ": " + e.getMessage()
                                + "; stop them first, or pass --force",
                        e);
            } catch (IOException e) {
                throw failed("stop", e);
            }
        }
    }

    /** {@code db status}. */
    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description =
                    "Whether the embedded MariaDB runs, its pid, port, data directory and size. Exit code 0 either way.")
    static final class Status extends Action {
        @Option(
                names = "--json",
                description =
                        "Print JSON: running, pid, port, home, data_dir, data_bytes, total_bytes, clients, idle_stop_seconds.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            EmbeddedServerStatus status;
            try {
                status = SharedEmbeddedServer.status(home);
            } catch (IOException e) {
                throw failed("read", e);
            }
            if (json) {
                out().println(JSON.writeValueAsString(toJson(status)));
                return ExitCode.OK;
            }
            out().println(
                            status.running()
                                    ? "running: pid " + status.pid() + ", 127.0.0.1:" + status.port() + ", used by "
                                            + status.clients().size() + " steadfast process(es)"
                                    : "not running"
                                            + (status.port() > 0
                                                    ? " (it will listen on 127.0.0.1:" + status.port() + ")"
                                                    : ""));
            out().println("stays up " + DatabaseConnector.untilStopped(status.idleStop()));
            out().println("data: " + status.dataDir() + " (" + megabytes(status.dataBytes()) + "; "
                    + megabytes(status.totalBytes()) + " in " + status.home() + " with the MariaDB binaries)");
            return ExitCode.OK;
        }

        static Map<String, Object> toJson(EmbeddedServerStatus status) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("running", status.running());
            json.put("pid", status.running() ? status.pid() : null);
            json.put("port", status.port() > 0 ? status.port() : null);
            json.put("home", status.home().toString());
            json.put("data_dir", status.dataDir().toString());
            json.put("data_bytes", status.dataBytes());
            json.put("total_bytes", status.totalBytes());
            json.put("clients", status.clients());
            json.put("idle_stop_seconds", status.idleStop().toSeconds());
            return json;
        }

        private static String megabytes(long bytes) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
        }
    }
}
