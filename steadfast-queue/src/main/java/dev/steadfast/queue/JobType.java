package dev.steadfast.queue;

import java.time.Duration;
import java.util.Objects;

/**
 * A job type as one typed constant that producers and handlers share, so that they cannot disagree on the type
 * name or the payload class, with the type's defaults for attempts, backoff and queue.
 *
 * <pre>{@code
 * static final JobType<Email> EMAIL = JobType.of("email", Email.class).maxAttempts(5);
 *
 * queue.enqueue(EMAIL.request(new Email(to, body)).build());                  // producer
 * Worker.builder(queue).handler(EMAIL.handler((ctx, email) -> send(email)));  // worker
 * }</pre>
 *
 * @param <P> the payload type
 */
public final class JobType<P> {
    private final String name;
    private final Class<P> payloadType;
    private final int maxAttempts;
    private final RetryBackoff retryBackoff;
    private final String queue;
    private final Duration timeout;

    private JobType(
            String name,
            Class<P> payloadType,
            int maxAttempts,
            RetryBackoff retryBackoff,
            String queue,
            Duration timeout) {
        this.name = name;
        this.payloadType = payloadType;
        this.maxAttempts = maxAttempts;
        this.retryBackoff = retryBackoff;
        this.queue = queue;
        this.timeout = timeout;
        // the same checks as a request's, at once
        JobRequest.of(name)
                .queue(queue)
                .maxAttempts(maxAttempts)
                .timeout(timeout)
                .build();
    }

    /** A type named {@code name} whose payloads are read into {@code payloadType}. */
    public static <P> JobType<P> of(String name, Class<P> payloadType) {
        return new JobType<>(
                name,
                Objects.requireNonNull(payloadType),
                JobRequest.DEFAULT_MAX_ATTEMPTS,
                null,
                JobRequest.DEFAULT_QUEUE,
                null);
    }

    /** Attempts a job of this type gets unless its request says otherwise. */
    public JobType<P> maxAttempts(int attempts) {
        return new JobType<>(name, payloadType, attempts, retryBackoff, queue, timeout);
    }

    /** Backoff between attempts of this type (null: the worker's). */
    public JobType<P> retryBackoff(RetryBackoff backoff) {
        return new JobType<>(name, payloadType, maxAttempts, backoff, queue, timeout);
    }

    /** The queue jobs of this type go to unless their request says otherwise. */
    public JobType<P> queue(String name) {
        return new JobType<>(this.name, payloadType, maxAttempts, retryBackoff, name, timeout);
    }

    /** How long one attempt of this type may run unless its request says otherwise (null: no limit). */
    public JobType<P> timeout(Duration limit) {
        return new JobType<>(name, payloadType, maxAttempts, retryBackoff, queue, limit);
    }

    public Duration timeout() {
        return timeout;
    }

    public String name() {
        return name;
    }

    public Class<P> payloadType() {
        return payloadType;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public RetryBackoff retryBackoff() {
        return retryBackoff;
    }

    public String queue() {
        return queue;
    }

    /** A request for a job of this type with this type's defaults; adjust it and {@code build()}. */
    public JobRequest.Builder request(P payload) {
        return JobRequest.of(name).payload(payload).queue(queue).maxAttempts(maxAttempts);
    }

    /** The handler of this type: its name, payload class and backoff come from here. */
    public JobHandler<P> handler(JobHandler.Body<P> body) {
        Objects.requireNonNull(body);
        JobType<P> type = this;
        return new JobHandler<>() {
            @Override
            public String type() {
                return type.name;
            }

            @Override
            public Class<P> payloadType() {
                return type.payloadType;
            }

            @Override
            public void handle(JobContext context, P payload) throws Exception {
                body.handle(context, payload);
            }

            @Override
            public RetryBackoff retryBackoff() {
                return type.retryBackoff;
            }

            @Override
            public Duration timeout() {
                return type.timeout;
            }
        };
    }

    @Override
    public String toString() {
        return "JobType[" + name + ", " + payloadType.getSimpleName() + "]";
    }
}
