package dev.steadfast.queue.internal.worker;

import dev.steadfast.jdbc.text.HumanDuration;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a worker stops by itself, restart-friendly (a supervisor starts a fresh one): after a number of jobs,
 * after running for a while, or when its heap grows past a size. Zero means no limit.
 *
 * @param maxJobs     jobs to finish before stopping
 * @param maxTime     how long to run
 * @param maxMemoryMb heap in use at which to stop
 */
public record WorkerLimits(long maxJobs, Duration maxTime, long maxMemoryMb) {

    /** Why the worker must stop now, or empty. */
    public Optional<String> reached(long processed, Instant startedAt, Instant now, long usedMb) {
        if (maxJobs > 0 && processed >= maxJobs) {
            return Optional.of("reached its limit of " + maxJobs + " job(s)");
        }
        if (!maxTime.isZero() && Duration.between(startedAt, now).compareTo(maxTime) >= 0) {
            return Optional.of("reached its maximum run time of " + HumanDuration.of(maxTime));
        }
        if (maxMemoryMb > 0 && usedMb >= maxMemoryMb) {
            return Optional.of("uses " + usedMb + " MB, at or over its limit of " + maxMemoryMb + " MB");
        }
        return Optional.empty();
    }

    /** How many more jobs the worker may claim, given those finished and those it holds. */
    public long budget(long processed, int held) {
        return maxJobs > 0 ? maxJobs - processed - held : Long.MAX_VALUE;
    }
}
