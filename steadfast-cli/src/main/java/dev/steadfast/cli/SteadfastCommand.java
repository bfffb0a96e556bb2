package dev.steadfast.cli;

import dev.steadfast.cli.commands.BatchCommand;
import dev.steadfast.cli.commands.CancelCommand;
import dev.steadfast.cli.commands.DemoCommand;
import dev.steadfast.cli.commands.DoctorCommand;
import dev.steadfast.cli.commands.EmbeddedDbCommand;
import dev.steadfast.cli.commands.EnqueueCommand;
import dev.steadfast.cli.commands.FailedCommand;
import dev.steadfast.cli.commands.JobsCommand;
import dev.steadfast.cli.commands.MigrateCommand;
import dev.steadfast.cli.commands.QueueCommand;
import dev.steadfast.cli.commands.ScheduleCommand;
import dev.steadfast.cli.commands.ServeCommand;
import dev.steadfast.cli.commands.StatsCommand;
import dev.steadfast.cli.commands.WorkCommand;
import dev.steadfast.cli.commands.WorkflowCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code steadfast}: the top-level command. */
@Command(
        name = "steadfast",
        mixinStandardHelpOptions = true,
        versionProvider = SteadfastCommand.Version.class,
        description = "A durable job queue and worker on MySQL/MariaDB whose connections heal themselves.",
        subcommands = {
            MigrateCommand.class,
            EnqueueCommand.class,
            WorkCommand.class,
            StatsCommand.class,
            FailedCommand.class,
            JobsCommand.class,
            QueueCommand.class,
            CancelCommand.class,
            ScheduleCommand.class,
            BatchCommand.class,
            WorkflowCommand.class,
            DoctorCommand.class,
            ServeCommand.class,
            DemoCommand.class,
            EmbeddedDbCommand.class,
            CommandLine.HelpCommand.class,
            picocli.AutoComplete.GenerateCompletion.class
        },
        footer = {
            "",
            "Exit codes: 0 success, 1 failure, 2 usage error.",
            "Without --url (or STEADFAST_URL) an embedded MariaDB is started under ./.steadfast/, shared by every"
                    + " steadfast process in this directory and left running for the next one: 'steadfast db stop' stops it.",
            "Connection, logging and the settings of work and serve can also come from the environment, named"
                    + " STEADFAST_ and the option in capitals: --http-port from STEADFAST_HTTP_PORT; a flag given wins."
                    + " Filters, --all and a job's queue, type or payload never do. All options: docs/configuration.md.",
            "Shell completion: source <(steadfast generate-completion)"
        },
        usageHelpAutoWidth = true)
public final class SteadfastCommand implements Runnable {

    @Option(
            names = "--log-json",
            scope = ScopeType.INHERIT,
            description = "Log JSON lines on stderr instead of plain lines.")
    boolean logJson;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean debug;

    @Option(
            names = "--log-level",
            scope = ScopeType.INHERIT,
            paramLabel = "LEVEL",
            description = "Least severe log lines shown on stderr: trace, debug, info (default), warn or error.")
    String logLevel;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "missing command (try: demo, work, enqueue, stats, doctor)");
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = SteadfastCommand.class.getPackage().getImplementationVersion();
            return new String[] {
                "steadfast " + (version == null ? "(development build)" : version),
                "Java " + System.getProperty("java.version")
            };
        }
    }
}
