package dev.steadfast.queue;

import java.time.Duration;
import java.time.Instant;

/**
 * One finished attempt of a job, from its attempt history.
 *
 * @param number    1 for the first attempt (a retry from the failed list starts counting again)
 * @param startedAt when the worker claimed it (null for attempts claimed before the history existed)
 * @param duration  from claim to outcome, as the database measured it (null when unknown)
 * @param worker    the worker that ran it
 * @param outcome   {@code succeeded}, {@code retried}, {@code failed} or {@code lease expired}
 * @param error     the head of the error for an attempt that did not succeed, else null
 */
public record JobAttempt(
        int number, Instant startedAt, Duration duration, String worker, String outcome, String error) {}
