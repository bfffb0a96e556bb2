package dev.steadfast.queue;

import java.time.Duration;
import java.util.List;

/**
 * A worker's tunables, their defaults and the rules they follow: the one source that {@link Worker.Builder}, the
 * command line ({@code steadfast work}) and the Spring Boot starter ({@code steadfast.worker.*}) all take their
 * defaults and checks from, so that a worker runs alike however it is started.
 *
 * <p>The defaults are constants, each also as text ({@code *_TEXT}, e.g. {@code "30s"}) for annotations that take
 * a default as a string (picocli's {@code defaultValue}, Spring's {@code @DefaultValue}). The checks throw an
 * {@link IllegalArgumentException} whose message starts with the name the caller gives the setting
 * ({@code --lease}, {@code steadfast.worker.lease}), so each entry point reports a bad value in its own words.
 *
 * <p>{@link Worker#settings()} says what a worker runs with; {@link #defaults()} is a worker built with nothing set.
 *
 * @param queues          the queues claimed from, in the order given (by weight when built with weights)
 * @param concurrency     jobs run at once: at least 1
 * @param batchSize       most jobs claimed in one transaction (at least 1)
 * @param pollMin         the shortest pause between idle polls (longer than 0)
 * @param pollMax         the longest pause between idle polls (at least {@code pollMin})
 * @param lease           how long a claimed job stays leased without a heartbeat (at least 1 s; renewed at a third)
 * @param shutdownGrace   how long running jobs may go on after a stop before they are interrupted and released
 * @param retention       how long succeeded and cancelled jobs are kept (longer than 0)
 * @param failedRetention how long jobs failed for good are kept (0: no age limit)
 * @param failedKept      most jobs failed for good kept (0: no cap)
 * @param maxJobs         jobs after which the worker stops (0: no limit)
 * @param maxTime         running time after which the worker stops (0: no limit)
 * @param maxMemoryMb     heap in use, in MB, at which the worker stops (0: no limit)
 */
public record WorkerSettings(
        List<String> queues,
        int concurrency,
        int batchSize,
        Duration pollMin,
        Duration pollMax,
        Duration lease,
        Duration shutdownGrace,
        Duration retention,
        Duration failedRetention,
        long failedKept,
        long maxJobs,
        Duration maxTime,
        long maxMemoryMb) {

    /** The queue a worker claims from unless told otherwise. */
    public static final String DEFAULT_QUEUE = JobRequest.DEFAULT_QUEUE;
    /** Jobs run at once. */
    public static final int DEFAULT_CONCURRENCY = 4;

    public static final String DEFAULT_CONCURRENCY_TEXT = "" + DEFAULT_CONCURRENCY;
    /** Most jobs claimed in one transaction. */
    public static final int DEFAULT_BATCH_SIZE = 50;
    /** The shortest pause between idle polls, in milliseconds. */
    public static final long DEFAULT_POLL_MIN_MILLIS = 50;

    public static final String DEFAULT_POLL_MIN_TEXT = DEFAULT_POLL_MIN_MILLIS + "ms";
    /** The longest pause between idle polls, in milliseconds: how late a job enqueued where no wake-up reaches starts. */
    public static final long DEFAULT_POLL_MAX_MILLIS = 150;

    public static final String DEFAULT_POLL_MAX_TEXT = DEFAULT_POLL_MAX_MILLIS + "ms";
    /** A claimed job's lease, in seconds. */
    public static final long DEFAULT_LEASE_SECONDS = 30;

    public static final String DEFAULT_LEASE_TEXT = DEFAULT_LEASE_SECONDS + "s";
    /** The shortest lease: it is renewed at a third of itself, and a shorter one cannot be renewed in time. */
    public static final Duration MIN_LEASE = Duration.ofSeconds(1);
    /** How long running jobs may go on after a stop, in seconds. */
    public static final long DEFAULT_SHUTDOWN_GRACE_SECONDS = 30;

    public static final String DEFAULT_SHUTDOWN_GRACE_TEXT = DEFAULT_SHUTDOWN_GRACE_SECONDS + "s";
    /** How long succeeded and cancelled jobs are kept, in hours. */
    public static final long DEFAULT_RETENTION_HOURS = 24;

    public static final String DEFAULT_RETENTION_TEXT = DEFAULT_RETENTION_HOURS + "h";
    /** How long jobs failed for good are kept, in days. */
    public static final long DEFAULT_FAILED_RETENTION_DAYS = 30;

    public static final String DEFAULT_FAILED_RETENTION_TEXT = DEFAULT_FAILED_RETENTION_DAYS + "d";
    /** Most jobs failed for good kept. */
    public static final long DEFAULT_FAILED_KEPT = 100_000;

    public static final String DEFAULT_FAILED_KEPT_TEXT = "" + DEFAULT_FAILED_KEPT;

    /** Checks every value, as {@link Worker.Builder} names them. */
    public WorkerSettings {
        queues = List.copyOf(queues);
        if (queues.isEmpty()) {
            throw new IllegalArgumentException("a worker needs at least one queue");
        }
        queues.forEach(NameRule::queue);
        checkConcurrency("concurrency", concurrency);
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        checkPollInterval("poll interval min", pollMin, "max", pollMax);
        checkLease("lease", lease);
        checkNotNegative("shutdown grace", shutdownGrace);
        checkRetention("retention", retention);
        checkNotNegative("failed retention", failedRetention);
        checkNotNegative("failed kept", failedKept);
        checkNotNegative("max jobs", maxJobs);
        checkNotNegative("max time", maxTime);
        checkNotNegative("max memory", maxMemoryMb);
    }

    /** What a worker built with nothing set runs with. */
    public static WorkerSettings defaults() {
        return new WorkerSettings(
                List.of(DEFAULT_QUEUE),
                DEFAULT_CONCURRENCY,
                DEFAULT_BATCH_SIZE,
                Duration.ofMillis(DEFAULT_POLL_MIN_MILLIS),
                Duration.ofMillis(DEFAULT_POLL_MAX_MILLIS),
                Duration.ofSeconds(DEFAULT_LEASE_SECONDS),
                Duration.ofSeconds(DEFAULT_SHUTDOWN_GRACE_SECONDS),
                Duration.ofHours(DEFAULT_RETENTION_HOURS),
                Duration.ofDays(DEFAULT_FAILED_RETENTION_DAYS),
                DEFAULT_FAILED_KEPT,
                0,
                Duration.ZERO,
                0);
    }

    /** The largest result a job may return by default, in bytes of JSON (64 KiB). */
    public static final int DEFAULT_MAX_RESULT_BYTES = 65_536;

    /** The largest result the worker can be told to accept (the column holds 16 MiB). */
    public static final int MAX_RESULT_BYTES_LIMIT = 16 * 1024 * 1024 - 1;

    /** A result size limit from 1 byte to {@link #MAX_RESULT_BYTES_LIMIT}; otherwise one line that says why. */
    public static int checkMaxResultBytes(String name, long bytes) {
        if (bytes < 1 || bytes > MAX_RESULT_BYTES_LIMIT) {
            throw new IllegalArgumentException(
                    name + " must be from 1 byte to 16 MiB (" + MAX_RESULT_BYTES_LIMIT + " bytes), was " + bytes);
        }
        return (int) bytes;
    }

    /**
     * {@code threads} when it is at least 1; otherwise an exception naming {@code name}. No upper bound: the command and
     * the builder never had one (the pool and the server's {@code max_connections} are what limit a worker).
     */
    public static int checkConcurrency(String name, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + threads);
        }
        return threads;
    }

    /** {@code lease} when it is at least {@link #MIN_LEASE}; otherwise an exception naming {@code name}. */
    public static Duration checkLease(String name, Duration lease) {
        if (lease.compareTo(MIN_LEASE) < 0) {
            throw new IllegalArgumentException(
                    name + " must be at least 1s (it is renewed at a third of it), got " + lease.toMillis() + "ms");
        }
        return lease;
    }

    /** Checks {@code 0 < min <= max}; the exception names the setting at fault. */
    public static void checkPollInterval(String minName, Duration min, String maxName, Duration max) {
        if (min.isNegative() || min.isZero()) {
            throw new IllegalArgumentException(minName + " must be longer than 0, got " + min.toMillis() + "ms");
        }
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException(maxName + " (" + max.toMillis() + "ms) must not be shorter than "
                    + minName + " (" + min.toMillis() + "ms)");
        }
    }

    /** {@code keep} when it is longer than 0 (0 would delete each finished job at the next purge). */
    public static Duration checkRetention(String name, Duration keep) {
        if (keep.isNegative() || keep.isZero()) {
            throw new IllegalArgumentException(name + " must be longer than 0 (e.g. " + DEFAULT_RETENTION_TEXT
                    + "), got " + keep.toMillis() + "ms");
        }
        return keep;
    }

    /** {@code value} when it is not negative (0 stands for none or no limit). */
    public static Duration checkNotNegative(String name, Duration value) {
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + value.toMillis() + "ms");
        }
        return value;
    }

    /** {@code value} when it is not negative (0 stands for no limit). */
    public static long checkNotNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, got " + value);
        }
        return value;
    }
}
