package dev.steadfast.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.cli.SteadfastCommand;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.JobHandler;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.Worker;
import dev.steadfast.queue.WorkerSettings;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code steadfast work} with no option runs the worker {@code Worker.builder} builds with nothing set: the defaults of
 * the command's model (as {@code --help} and docs/configuration.md show them) are the builder's. The Spring starter's
 * are checked against the builder's in its PropertiesTest.
 */
class WorkDefaultsTest {
    static final MariaDbServer SERVER = MariaDbServer.shared();

    @Test
    void workDefaultsToWhatTheBuilderBuilds() throws Exception {
        CommandLine root = new CommandLine(new SteadfastCommand());
        root.parseArgs("work"); // nothing given: every option takes its default
        CommandLine.Model.CommandSpec spec = root.getSubcommands().get("work").getCommandSpec();
        try (ResilientDatabase db = ResilientDatabase.builder()
                .jdbcUrl(SERVER.url(JdbcDriver.MARIADB))
                .username(SERVER.user())
                .password(SERVER.password())
                .build()) {
            Worker worker = Worker.builder(JobQueue.create(db))
                    .handler(JobHandler.of("noop", String.class, (context, payload) -> {}))
                    .build();
            WorkerSettings built = worker.settings();
            assertThat(built).isEqualTo(WorkerSettings.defaults());
            assertThat(spec.findOption("--queue").<List<String>>getValue()).isEqualTo(built.queues());
            assertThat(spec.findOption("--concurrency").<Integer>getValue()).isEqualTo(built.concurrency());
            assertThat(spec.findOption("--lease").<Duration>getValue()).isEqualTo(built.lease());
            assertThat(spec.findOption("--shutdown-grace").<Duration>getValue()).isEqualTo(built.shutdownGrace());
            assertThat(spec.findOption("--retention").<Duration>getValue()).isEqualTo(built.retention());
            assertThat(spec.findOption("--failed-retention").<Duration>getValue())
                    .isEqualTo(built.failedRetention());
            assertThat(spec.findOption("--failed-keep").<Long>getValue()).isEqualTo(built.failedKept());
            assertThat(spec.findOption("--max-jobs").<Long>getValue()).isEqualTo(built.maxJobs());
            assertThat(spec.findOption("--memory").<Long>getValue()).isEqualTo(built.maxMemoryMb());
            Duration maxTime = spec.findOption("--max-time").getValue(); // no default: no limit, as the builder's zero
            assertThat(maxTime == null ? Duration.ZERO : maxTime).isEqualTo(built.maxTime());
            worker.stop();
        }
    }
}
