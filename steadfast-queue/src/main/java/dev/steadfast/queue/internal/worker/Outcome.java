package dev.steadfast.queue.internal.worker;

import dev.steadfast.queue.internal.store.ClaimedJob;
import dev.steadfast.queue.internal.store.JobFailure;

import java.time.Duration;

/**
 * What happened to one attempt, to be written under the attempt's lease.
 *
 * @param job     the job and its lease
 * @param kind    success, retry or final failure
 * @param delay   for a retry, how long to wait
 * @param failure for a retry or failure, why
 */
public record Outcome(ClaimedJob job, Kind kind, Duration delay, JobFailure failure) {
    /** The three outcomes of an attempt. */
    public enum Kind { SUCCEEDED, RETRY, FAILED }

    static Outcome succeeded(ClaimedJob job) {
        return new Outcome(job, Kind.SUCCEEDED, Duration.ZERO, null);
    }

    static Outcome retry(ClaimedJob job, Duration delay, JobFailure failure) {
        return new Outcome(job, Kind.RETRY, delay, failure);
    }

    static Outcome failed(ClaimedJob job, JobFailure failure) {
        return new Outcome(job, Kind.FAILED, Duration.ZERO, failure);
    }
}
