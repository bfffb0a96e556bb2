package dev.steadfast.cli.commands;

import dev.steadfast.cli.DurationConverter;
import dev.steadfast.cli.UserException;
import dev.steadfast.queue.Worker;
import picocli.CommandLine.Option;

import java.time.Duration;

/** {@code work}'s options for how long finished jobs are kept before its housekeeping deletes them. */
final class RetentionOptions {
    @Option(names = "--retention", defaultValue = "24h", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Keep succeeded and cancelled jobs this long after they finished, then delete them (default:"
                    + " ${DEFAULT-VALUE}).")
    Duration retention;

    @Option(names = "--failed-retention", defaultValue = "30d", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Keep jobs failed for good (and their failed-job log entries) this long after they failed, then"
                    + " delete them (default: ${DEFAULT-VALUE}; 0: no age limit).")
    Duration failedRetention;

    @Option(names = "--failed-keep", defaultValue = "100000", paramLabel = "N",
            description = "Keep at most this many failed jobs, deleting the oldest first (default: ${DEFAULT-VALUE}; 0: no cap).")
    long failedKeep;

    /** Refuses values that make no sense, before anything is opened. */
    void check() {
        if (retention.isZero()) {
            throw UserException.usage("--retention must be longer than 0 (e.g. 24h), got 0");
        }
        if (failedKeep < 0) {
            throw UserException.usage("--failed-keep must not be negative (0: no cap), got " + failedKeep);
        }
    }

    Worker.Builder apply(Worker.Builder builder) {
        return builder.retention(retention).failedRetention(failedRetention).failedKept(failedKeep);
    }
}
