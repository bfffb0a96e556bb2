package dev.steadfast.cli.exec;

import dev.steadfast.queue.NameRule;
import java.time.Duration;
import java.util.List;

/**
 * A job type run as a command: {@code TYPE=COMMAND}, the command split into words as a shell would, never run by one.
 *
 * @param type    the job type
 * @param command the program and its arguments
 * @param timeout how long one attempt may run (null: no limit of the type's own)
 */
public record ExecSpec(String type, List<String> command, Duration timeout) {
    public ExecSpec {
        command = List.copyOf(command);
    }

    /** Reads {@code TYPE=COMMAND}; an {@link IllegalArgumentException} says what is wrong with it. */
    public static ExecSpec parse(String spec, Duration timeout) {
        int eq = spec.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException(
                    "--exec takes TYPE=COMMAND (like report=\"php /srv/jobs/report.php\"), got '" + spec + "'");
        }
        String type = spec.substring(0, eq).trim();
        try {
            NameRule.type(type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--exec: " + e.getMessage(), e);
        }
        try {
            return new ExecSpec(type, CommandWords.split(spec.substring(eq + 1)), timeout);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--exec " + type + ": " + e.getMessage(), e);
        }
    }
}
