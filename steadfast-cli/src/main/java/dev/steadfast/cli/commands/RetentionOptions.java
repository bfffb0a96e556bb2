package dev.steadfast.cli.commands;

import dev.steadfast.cli.DurationConverter;
import dev.steadfast.queue.Worker;
import dev.steadfast.queue.WorkerSettings;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code work}'s options for how long finished jobs are kept before its housekeeping deletes them. */
final class RetentionOptions {
    @Option(
            names = "--retention",
            defaultValue = WorkerSettings.DEFAULT_RETENTION_TEXT,
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "Keep succeeded and cancelled jobs this long after they finished, then delete them (default:"
                    + " ${DEFAULT-VALUE}).")
    Duration retention;

    @Option(
            names = "--failed-retention",
            defaultValue = WorkerSettings.DEFAULT_FAILED_RETENTION_TEXT,
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description =
                    "Keep jobs failed for good (and their failed-job log entries) this long after they failed, then"
                            + " delete them (default: ${DEFAULT-VALUE}; 0: no age limit).")
    Duration failedRetention;

    @Option(
            names = "--failed-keep",
            defaultValue = WorkerSettings.DEFAULT_FAILED_KEPT_TEXT,
            paramLabel = "N",
            description =
                    "Keep at most this many failed jobs, deleting the oldest first (default: ${DEFAULT-VALUE}; 0: no cap).")
    long failedKeep;

    /** Refuses values that make no sense, before anything is opened: an {@link IllegalArgumentException} naming the option. */
    void check() {
        WorkerSettings.checkRetention("--retention", retention);
        WorkerSettings.checkNotNegative("--failed-retention", failedRetention);
        WorkerSettings.checkNotNegative("--failed-keep", failedKeep);
    }

    Worker.Builder apply(Worker.Builder builder) {
        return builder.retention(retention).failedRetention(failedRetention).failedKept(failedKeep);
    }
}
