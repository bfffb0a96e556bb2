package dev.steadfast.queue.internal.worker;

import dev.steadfast.queue.RetryBackoff;
import dev.steadfast.queue.internal.store.ClaimedJob;
import dev.steadfast.queue.internal.store.JobFailure;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * What happened to one attempt, to be written under the attempt's lease.
 *
 * @param job     the job and its lease
 * @param kind    success, retry, snooze, final failure, or stopped on request
 * @param delay   for a retry or a snooze, how long to wait
 * @param failure for a retry or failure, why
 */
public record Outcome(ClaimedJob job, Kind kind, Duration delay, JobFailure failure) {
    /** The outcomes of an attempt. */
    public enum Kind {
        SUCCEEDED,
        RETRY,
        /** Run again after the delay without counting the attempt (its handler snoozed). */
        SNOOZED,
        FAILED,
        CANCELLED
    }

    static Outcome succeeded(ClaimedJob job) {
        return new Outcome(job, Kind.SUCCEEDED, Duration.ZERO, null);
    }

    static Outcome retry(ClaimedJob job, Duration delay, JobFailure failure) {
        return new Outcome(job, Kind.RETRY, delay, failure);
    }

    static Outcome snoozed(ClaimedJob job, Duration delay) {
        return new Outcome(job, Kind.SNOOZED, delay, null);
    }

    static Outcome cancelled(ClaimedJob job) {
        return new Outcome(job, Kind.CANCELLED, Duration.ZERO, null);
    }

    static Outcome failed(ClaimedJob job, JobFailure failure) {
        return new Outcome(job, Kind.FAILED, Duration.ZERO, failure);
    }

    /**
     * What a failed attempt leads to: the failed-job log after the last attempt, otherwise another attempt
     * after the backoff's delay for this attempt.
     */
    static Outcome afterFailure(ClaimedJob job, JobFailure failure, RetryBackoff backoff, DoubleSupplier random) {
        if (job.attempt() >= job.maxAttempts()) {
            return failed(job, failure);
        }
        return retry(job, backoff.delay(job.attempt(), random), failure);
    }
}
