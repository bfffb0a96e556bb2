package dev.steadfast.cli.commands;

import dev.steadfast.cli.DurationConverter;
import dev.steadfast.cli.ExitCode;
import dev.steadfast.cli.Lifecycle;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.doctor.DoctorReport;
import dev.steadfast.queue.doctor.Severity;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code steadfast doctor}. */
@Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        description = {
            "Check the server settings that decide whether connections and jobs survive.",
            "wait_timeout, net timeouts, max_allowed_packet, lock waits and clocks, the pool and lease settings Steadfast"
                    + " derives, the schema and the backlog. Each finding comes with its fix. Exits 1 when something will fail."
        })
public final class DoctorCommand extends DatabaseCommand {

    @Option(names = "--json", description = "Findings, variables and settings as one JSON object.")
    boolean json;

    @Option(
            names = "--lease",
            paramLabel = "DURATION",
            defaultValue = "30s",
            converter = DurationConverter.class,
            description = "The workers' lease, to check against the server (default: ${DEFAULT-VALUE}).")
    Duration lease;

    @Override
    int run(Lifecycle lifecycle) throws Exception {
        // no commit markers: the doctor only reads, it creates no table
        ResilientDatabase db = openDatabase(lifecycle, new SimpleMeterRegistry(), b -> b.commitMarkers(false));
        DoctorReport report = DoctorReport.examine(JobQueue.create(db, JSON, false), lease);
        if (json) {
            out().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report.toJson()));
        } else {
            report.print(out());
        }
        return report.worst() == Severity.ERROR ? ExitCode.FAILURE : ExitCode.OK;
    }
}
