package dev.steadfast.cli.commands;

import dev.steadfast.cli.DurationConverter;
import dev.steadfast.cli.UserException;
import dev.steadfast.queue.JobFilter;
import dev.steadfast.queue.JobStatus;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --queue --type --error --older-than}: which jobs a list or a bulk action is about. */
final class FilterOptions {
    @Option(names = "--queue", paramLabel = "NAME", description = "Only jobs of this queue.")
    String queue;

    @Option(names = "--type", paramLabel = "TYPE", description = "Only jobs of this type.")
    String type;

    @Option(names = "--error", paramLabel = "TEXT", description = "Only jobs whose last error contains this text.")
    String error;

    @Option(
            names = "--older-than",
            paramLabel = "AGE",
            converter = DurationConverter.class,
            description = "Only jobs finished (or, unfinished, created) longer ago than this: 30m, 12h, 7d.")
    Duration olderThan;

    /** Whether any part was given: a bulk action needs a filter or --all. */
    boolean any() {
        return queue != null || type != null || error != null || olderThan != null;
    }

    JobFilter filter() {
        JobFilter f = JobFilter.all().queue(queue).type(type).errorContaining(error);
        return olderThan == null ? f : f.olderThan(olderThan);
    }

    /**
     * The status an option's text names (null or blank: any), or a usage error naming the option.
     *
     * @param option the option, as the message names it: {@code --state}
     */
    static JobStatus status(String option, String text) {
        try {
            return JobStatus.parseOrNull(text);
        } catch (IllegalArgumentException e) {
            throw UserException.usage(option + ": " + e.getMessage());
        }
    }

    /** The filter in words, for confirmations and results: "in queue mail of type x". */
    String describe() {
        StringBuilder s = new StringBuilder();
        if (queue != null) {
            s.append(" in queue ").append(queue);
        }
        if (type != null) {
            s.append(" of type ").append(type);
        }
        if (error != null) {
            s.append(" with an error containing '").append(error).append('\'');
        }
        if (olderThan != null) {
            s.append(" older than ").append(DurationConverter.format(olderThan));
        }
        return s.toString();
    }
}
