package dev.steadfast.queue;

import dev.steadfast.jdbc.text.HumanDuration;
import java.time.Duration;

/**
 * At most {@code jobs} jobs of a queue start in any span of time {@code per} long, across all workers (a strict
 * sliding window, not fixed windows that allow twice the rate across a boundary). Retries count: every start does.
 *
 * @param jobs how many starts, 1 to {@value #MAX_JOBS}
 * @param per  the span, 1 ms to 366 days
 */
public record RateLimit(int jobs, Duration per) {
    /** The most starts a limit allows per span: each is a row the claim locks and moves on. */
    public static final int MAX_JOBS = 100_000;

    private static final Duration LONGEST = Duration.ofDays(366);

    public RateLimit {
        if (jobs < 1 || jobs > MAX_JOBS) {
            throw new IllegalArgumentException("a rate limit allows 1 to " + MAX_JOBS + " jobs per span, got " + jobs);
        }
        if (per == null || per.toMillis() < 1 || per.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("a rate limit's span is 1 ms to 366 days, got " + HumanDuration.of(per));
        }
    }

    /** At most {@code jobs} starts per {@code per}. */
    public static RateLimit of(int jobs, Duration per) {
        return new RateLimit(jobs, per);
    }
}
