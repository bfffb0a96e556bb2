package dev.steadfast.cli.commands;

import dev.steadfast.cli.ExitCode;
import dev.steadfast.cli.demo.Demo;
import dev.steadfast.embedded.EmbeddedHome;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code steadfast demo}. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Replay the incident on a fresh embedded MariaDB and report what became of every job.",
            "With wait_timeout=3, a mix of jobs runs while the queue idles past wait_timeout, the worker's connections are"
                    + " KILLed and the server is SIGKILLed and restarted. Exits 0 only when nothing was lost or duplicated"
                    + " and no connection error reached a job."
        })
public final class DemoCommand implements Callable<Integer> {

    @Option(
            names = "--home",
            defaultValue = "${env:STEADFAST_HOME:-.steadfast}",
            paramLabel = "DIR",
            description = "Directory of the embedded MariaDB's binaries (default: ${DEFAULT-VALUE}).")
    Path home;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        boolean ok = new Demo(new EmbeddedHome(home), spec.commandLine().getOut()).run();
        return ok ? ExitCode.OK : ExitCode.FAILURE;
    }
}
