package dev.steadfast.queue;

import java.time.Instant;

/**
 * What one attempt of a job printed: recorded by handlers that run commands ({@code steadfast work --exec}), shown on
 * the job's dashboard page. The texts are the ends the worker kept; the byte counts say how much there was in all.
 *
 * @param attempt     the attempt's number
 * @param exitStatus  the command's exit status, or null when it did not end by itself
 * @param stdout      the end of its standard output
 * @param stderr      the end of its standard error
 * @param stdoutBytes all it wrote to standard output
 * @param stderrBytes all it wrote to standard error
 * @param recordedAt  when it was recorded (null before)
 */
public record JobOutput(
        int attempt,
        Integer exitStatus,
        String stdout,
        String stderr,
        long stdoutBytes,
        long stderrBytes,
        Instant recordedAt) {
    public JobOutput {
        stdout = stdout == null ? "" : stdout;
        stderr = stderr == null ? "" : stderr;
    }
}
