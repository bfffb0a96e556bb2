package dev.steadfast.queue;

import dev.steadfast.jdbc.text.HumanDuration;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A job to enqueue. Build one with {@link #of(String)}.
 *
 * @param type        handler type name ({@link NameRule}: letters, digits and {@code . _ - /})
 * @param payload     the payload object (serialized to JSON with Jackson), a JSON string via
 *                    {@link Builder#payloadJson(String)}, or null for {@code {}}
 * @param payloadJson the payload as JSON text, when given as text
 * @param queue       queue name ({@link NameRule})
 * @param priority    higher runs first
 * @param delay       run no earlier than this after enqueueing (database clock); ignored when runAt is set
 * @param runAt       run no earlier than this instant
 * @param maxAttempts attempts before the job fails for good
 * @param uniqueKey   while a job with this key is pending or running in the queue, enqueueing another
 *                    returns the existing job's id instead
 * @param timeout     how long one attempt may run before it is interrupted and fails as timed out (null: its
 *                    handler's {@link JobHandler#timeout()}, or no limit)
 * @param concurrencyKey   jobs with the same key run at most {@code concurrencyLimit} at once, across all workers
 *                         (null: no limit); the others wait their turn, pending
 * @param concurrencyLimit how many jobs with the key may run at once (the last enqueue's limit applies to the key)
 * @param after       the jobs this one runs after (a chain): it waits, neither pending nor claimable, until they have
 *                    all succeeded, then becomes pending in the transaction of the last one's success (empty: none)
 */
public record JobRequest(
        String type,
        Object payload,
        String payloadJson,
        String queue,
        int priority,
        Duration delay,
        Instant runAt,
        int maxAttempts,
        String uniqueKey,
        Duration timeout,
        String concurrencyKey,
        int concurrencyLimit,
        List<Long> after) {
    /** The longest delay: ten years (the run time must fit the database's {@code TIMESTAMP}). */
    public static final Duration LONGEST_DELAY = Duration.ofDays(3650);
    /** The earliest run time a {@code TIMESTAMP} holds (MariaDB and MySQL alike), a day inside its end. */
    public static final Instant EARLIEST_RUN_AT = Instant.parse("1970-01-02T00:00:00Z");
    /** The latest run time a {@code TIMESTAMP} holds, a day inside its end. */
    public static final Instant LATEST_RUN_AT = Instant.parse("2038-01-18T00:00:00Z");

    public static final String DEFAULT_QUEUE = "default";
    public static final int DEFAULT_MAX_ATTEMPTS = 3;

    public JobRequest {
        NameRule.type(type);
        NameRule.queue(queue);
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (delay != null && delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, got " + HumanDuration.of(delay));
        }
        if (delay != null && delay.compareTo(LONGEST_DELAY) > 0) {
            throw new IllegalArgumentException("a delay of at most " + LONGEST_DELAY.toDays() + " days is allowed, got "
                    + delay.toDays() + " days");
        }
        if (runAt != null && (runAt.isBefore(EARLIEST_RUN_AT) || runAt.isAfter(LATEST_RUN_AT))) {
            throw new IllegalArgumentException("a run time between " + EARLIEST_RUN_AT + " and " + LATEST_RUN_AT
                    + " is required (what the database's TIMESTAMP holds), got " + runAt);
        }
        if (uniqueKey != null && (uniqueKey.isBlank() || uniqueKey.length() > 191)) {
            throw new IllegalArgumentException("a unique key has 1 to 191 characters, got '" + uniqueKey + "'");
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("a timeout must be positive, got " + HumanDuration.of(timeout));
        }
        if (concurrencyKey != null && (concurrencyKey.isBlank() || concurrencyKey.length() > 191)) {
            throw new IllegalArgumentException(
                    "a concurrency key has 1 to 191 characters, got '" + concurrencyKey + "'");
        }
        if (concurrencyKey != null && concurrencyLimit < 1) {
            throw new IllegalArgumentException(
                    "a concurrency limit of at least 1 is required with a concurrency key, got " + concurrencyLimit);
        }
        after = after == null ? List.of() : List.copyOf(after);
        if (!after.isEmpty() && uniqueKey != null) {
            throw new IllegalArgumentException(
                    "a job that runs after others cannot have a unique key (a waiting job holds no key)");
        }
        for (long parent : after) {
            if (parent < 1) {
                throw new IllegalArgumentException("a job runs after jobs by their ids (1 or more), got " + parent);
            }
        }
    }

    /** A request that runs after no other job. */
    public JobRequest(
            String type,
            Object payload,
            String payloadJson,
            String queue,
            int priority,
            Duration delay,
            Instant runAt,
            int maxAttempts,
            String uniqueKey,
            Duration timeout,
            String concurrencyKey,
            int concurrencyLimit) {
        this(
                type,
                payload,
                payloadJson,
                queue,
                priority,
                delay,
                runAt,
                maxAttempts,
                uniqueKey,
                timeout,
                concurrencyKey,
                concurrencyLimit,
                List.of());
    }

    /** A request without a concurrency limit. */
    public JobRequest(
            String type,
            Object payload,
            String payloadJson,
            String queue,
            int priority,
            Duration delay,
            Instant runAt,
            int maxAttempts,
            String uniqueKey,
            Duration timeout) {
        this(type, payload, payloadJson, queue, priority, delay, runAt, maxAttempts, uniqueKey, timeout, null, 0);
    }

    /** A request without a timeout of its own. */
    public JobRequest(
            String type,
            Object payload,
            String payloadJson,
            String queue,
            int priority,
            Duration delay,
            Instant runAt,
            int maxAttempts,
            String uniqueKey) {
        this(type, payload, payloadJson, queue, priority, delay, runAt, maxAttempts, uniqueKey, null, null, 0);
    }

    /** Starts a request for a job of the given type. */
    public static Builder of(String type) {
        return new Builder(type);
    }

    /** Builds {@link JobRequest}s. */
    public static final class Builder {
        private final String type;
        private Object payload;
        private Duration timeout;
        private String concurrencyKey;
        private int concurrencyLimit;
        private String payloadJson;
        private String queue = DEFAULT_QUEUE;
        private int priority;
        private Duration delay = Duration.ZERO;
        private Instant runAt;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private String uniqueKey;
        private List<Long> after = List.of();

        private Builder(String type) {
            this.type = type;
        }

        public Builder payload(Object value) {
            this.payload = value;
            this.payloadJson = null;
            return this;
        }

        /** The payload as JSON text; it is checked to be valid JSON when enqueued. */
        public Builder payloadJson(String json) {
            this.payloadJson = Objects.requireNonNull(json);
            this.payload = null;
            return this;
        }

        public Builder queue(String name) {
            this.queue = name;
            return this;
        }

        public Builder priority(int value) {
            this.priority = value;
            return this;
        }

        public Builder delay(Duration value) {
            this.delay = Objects.requireNonNull(value);
            return this;
        }

        public Builder runAt(Instant instant) {
            this.runAt = instant;
            return this;
        }

        public Builder maxAttempts(int attempts) {
            this.maxAttempts = attempts;
            return this;
        }

        public Builder uniqueKey(String key) {
            this.uniqueKey = key;
            return this;
        }

        /** How long one attempt may run before it is interrupted and fails as timed out. */
        public Builder timeout(Duration limit) {
            this.timeout = limit;
            return this;
        }

        /** At most {@code limit} jobs with this key run at once, across all workers; the others wait their turn. */
        public Builder concurrencyLimit(String key, int limit) {
            this.concurrencyKey = key;
            this.concurrencyLimit = limit;
            return this;
        }

        /**
         * Runs this job after these jobs (a chain): it waits until they have all succeeded. A parent that already
         * succeeded counts as met; an unknown (or finished and purged) parent, or one that failed or was cancelled,
         * makes the enqueue fail with a {@link DependencyException}.
         */
        public Builder after(long... jobIds) {
            this.after = Arrays.stream(jobIds).boxed().distinct().toList();
            return this;
        }

        public JobRequest build() {
            return new JobRequest(
                    type,
                    payload,
                    payloadJson,
                    queue,
                    priority,
                    delay,
                    runAt,
                    maxAttempts,
                    uniqueKey,
                    timeout,
                    concurrencyKey,
                    concurrencyLimit,
                    after);
        }
    }
}
