package dev.steadfast.queue;

import java.time.Duration;

/**
 * Runs jobs of one type. Throwing fails the attempt: the job is retried with backoff until its
 * attempts are used up, then the job is failed (kept with its last error until retried or forgotten); a
 * {@link NonRetryableException} fails it at once. Handlers may run more than once for the
 * same job (a worker crash, a lost lease): make their effects idempotent, or use
 * {@link TransactionalJobHandler} for database effects that must happen exactly once.
 *
 * @param <P> the payload type, read from the job's JSON with Jackson
 */
public interface JobHandler<P> {

    /** The job type this handler runs. */
    String type();

    /** The class the JSON payload is read into ({@code com.fasterxml.jackson.databind.JsonNode} for raw JSON). */
    Class<P> payloadType();

    void handle(JobContext context, P payload) throws Exception;

    /** Retry backoff for this type; null for the worker's default. */
    default RetryBackoff retryBackoff() {
        return null;
    }

    /**
     * How long one attempt of this type may run (null: no limit) unless the job has a timeout of its own: then its
     * thread is interrupted and the attempt fails as timed out, and is retried like any failure.
     */
    default Duration timeout() {
        return null;
    }

    /** The body of a handler made with {@link #of}. */
    @FunctionalInterface
    interface Body<P> {
        void handle(JobContext context, P payload) throws Exception;
    }

    /** A handler from a type name, a payload class and a lambda. */
    static <P> JobHandler<P> of(String type, Class<P> payloadType, Body<P> body) {
        return new JobHandler<>() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public Class<P> payloadType() {
                return payloadType;
            }

            @Override
            public void handle(JobContext context, P payload) throws Exception {
                body.handle(context, payload);
            }
        };
    }

    /** The body of a handler made with {@link #returning}: what it returns is the job's result. */
    @FunctionalInterface
    interface Returning<P, R> {
        R handle(JobContext context, P payload) throws Exception;
    }

    /**
     * A handler whose lambda returns the job's result ({@link JobContext#result}): stored with its success, shown with
     * the job, read by the jobs that depend on it. Null is no result.
     */
    static <P, R> JobHandler<P> returning(String type, Class<P> payloadType, Returning<P, R> body) {
        return of(type, payloadType, (context, payload) -> context.result(body.handle(context, payload)));
    }
}
