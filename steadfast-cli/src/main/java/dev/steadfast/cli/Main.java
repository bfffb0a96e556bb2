package dev.steadfast.cli;

import dev.steadfast.cli.connect.AccessDenials;
import dev.steadfast.cli.logging.ShortCommandLogging;
import dev.steadfast.cli.logging.StackTraceText;
import dev.steadfast.queue.text.ControlCharacters;
import dev.steadfast.queue.text.Redactor;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Optional;
import picocli.CommandLine;

/** Entry point of the {@code steadfast} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (contract: 0 ok, 1 failure, 2 usage error). */
    public static int run(String... args) {
        // Logging is configured once, before the first logger exists.
        String logProblem = LogSettings.apply(args);
        if (logProblem != null) {
            System.err.println("steadfast: " + logProblem);
            return ExitCode.USAGE;
        }
        boolean debug = Arrays.asList(args).contains("--debug");
        Redactor redactor = Redactor.process();
        CommandLine cli = new CommandLine(new SteadfastCommand());
        cli.setExpandAtFiles(false); // "@file" belongs to --payload, not to picocli's argument files
        cli.setDefaultValueProvider(new EnvironmentDefaults(System.getenv()));
        HelpWrapping.apply(cli);
        cli.setExecutionStrategy(parsed -> {
            ShortCommandLogging.apply(parsed);
            return new CommandLine.RunLast().execute(parsed);
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (e instanceof UserException user) {
                err.println("steadfast: "
                        + ControlCharacters.oneLine(Redactor.process().redact(user.getMessage())));
                if (debug && user.getCause() != null) {
                    err.print(StackTraceText.of(user.getCause()));
                    err.flush();
                }
                return user.exitCode();
            }
            Optional<String> denied = AccessDenials.line(e);
            if (denied.isPresent()) { // a missing privilege: who, what, and the GRANT; not the driver's text
                err.println("steadfast: "
                        + ControlCharacters.oneLine(Redactor.process().redact(denied.get())));
                if (debug) {
                    err.print(StackTraceText.of(e));
                    err.flush();
                }
                return ExitCode.FAILURE;
            }
            // one line whatever the message holds (a name, a server's text): control characters are shown, not sent
            err.println("steadfast: "
                    + ControlCharacters.oneLine(
                            Redactor.process().redact(e.getClass().getSimpleName() + ": " + e.getMessage()))
                    + (debug ? "" : " (run with --debug for details)"));
            if (debug) {
                err.print(StackTraceText.of(e));
                err.flush();
            }
            return ExitCode.FAILURE;
        });
        cli.setParameterExceptionHandler((e, args1) -> {
            // one line with a hint, in our words (not picocli's "Unmatched argument at index 1")
            e.getCommandLine()
                    .getErr()
                    .println("steadfast: " + ControlCharacters.oneLine(redactor.redact(UsageErrorLine.of(e))));
            return ExitCode.USAGE;
        });
        return cli.execute(LeadingOptions.moved(cli, args));
    }
}
