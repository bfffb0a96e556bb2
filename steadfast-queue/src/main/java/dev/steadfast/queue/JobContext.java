package dev.steadfast.queue;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/**
 * What a handler knows about the job it runs, and what it can tell the worker while it runs: its progress
 * ({@link #progress}), log lines ({@link #log}), a result ({@link #result}), durable steps ({@link #step}) that run at
 * most once across retries, and a wish to run again later without counting the attempt ({@link #snooze}).
 *
 * <p>A context made by a test with one of the constructors that take no {@link Attempt} keeps all of that in memory:
 * steps run (each name once per context), a transactional step is refused (it needs a worker's database).
 *
 * <p>This was a record: its accessors ({@link #jobId()}, {@link #queue()}, ...) and constructors are unchanged.
 */
public final class JobContext {
    /** How many characters of an attempt's log are kept (its tail), as for a command's output. */
    public static final int LOG_KEPT_CHARS = 65_536;

    /** How many characters of a progress message are kept. */
    public static final int PROGRESS_MESSAGE_CHARS = 500;

    /** How long a step's name may be. */
    public static final int STEP_NAME_CHARS = 200;

    private final long jobId;
    private final String queue;
    private final String type;
    private final int attempt;
    private final int maxAttempts;
    private final String workerId;
    private final Long batchId;
    private final Long workflowId;
    private final Long callbackOf;
    private final BooleanSupplier stopRequested;
    private final BooleanSupplier cancelRequested;
    private final Attempt recorder;
    private ParentResults parentResults; // read at the first call: guarded by this

    /**
     * What the worker does for a context: keep its progress, log and result, and run its steps. Implemented by the
     * worker; handlers use the context's methods, never this.
     */
    public interface Attempt {
        /** Keeps the latest progress, written with the next heartbeat and at the outcome. */
        void progress(double fraction, String message);

        /** Keeps a line of the attempt's log (the tail of {@link #LOG_KEPT_CHARS}), written as progress is. */
        void log(String line);

        /** Keeps the result, stored with the job's success. */
        void result(Object result);

        /** Runs a step unless it is recorded: then answers its recorded result. */
        <T> T step(String name, Class<T> resultType, Callable<T> work) throws Exception;

        /** Runs a step in a transaction that records it, unless it is recorded. */
        <T> T transactionalStep(String name, Class<T> resultType, TransactionalStep<T> work) throws Exception;

        /** Reads the results of the jobs this job runs after (called once per context); none by default. */
        default ParentResults parentResults() throws SQLException {
            return ParentResults.NONE;
        }

        /** Reads a batch as it is now; empty by default (no database). */
        default Optional<BatchView> batch(long batchId) throws SQLException {
            return Optional.empty();
        }
    }

    /** A step that returns nothing. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    /** A transactional step: its writes through {@code tx} commit together with its record, or not at all. */
    @FunctionalInterface
    public interface TransactionalStep<T> {
        T run(Connection tx) throws Exception;
    }

    /** A transactional step that returns nothing. */
    @FunctionalInterface
    public interface TransactionalAction {
        void run(Connection tx) throws Exception;
    }

    /**
     * A context of a job run by a worker, with its place in a workflow or a batch's callbacks.
     *
     * @param batchId    the batch the job is a member of, or null
     * @param workflowId the workflow the job is a step of, or null
     * @param callbackOf the batch whose callback the job is, or null
     * @param recorder   what keeps the attempt's progress, log, result and steps, and reads parents' results
     */
    public JobContext(
            long jobId,
            String queue,
            String type,
            int attempt,
            int maxAttempts,
            String workerId,
            Long batchId,
            Long workflowId,
            Long callbackOf,
            BooleanSupplier stopRequested,
            BooleanSupplier cancelRequested,
            Attempt recorder) {
        this.workflowId = workflowId;
        this.callbackOf = callbackOf;
        this.jobId = jobId;
        this.queue = queue;
        this.type = type;
        this.attempt = attempt;
        this.maxAttempts = maxAttempts;
        this.workerId = workerId;
        this.batchId = batchId;
        this.stopRequested = stopRequested == null ? () -> false : stopRequested;
        this.cancelRequested = cancelRequested == null ? () -> false : cancelRequested;
        this.recorder = recorder == null ? new MemoryAttempt() : recorder;
    }

    /**
     * A context that keeps what the handler says in memory (as the record's canonical constructor did).
     *
     * @param jobId           the job's id
     * @param queue           its queue
     * @param type            its type
     * @param attempt         this attempt's number, from 1
     * @param maxAttempts     attempts allowed
     * @param workerId        the worker running it
     * @param stopRequested   true once the worker running it is stopping (see {@link #isStopping()})
     * @param cancelRequested true once the job was cancelled while it runs (see {@link #isCancelled()})
     */
    public JobContext(
            long jobId,
            String queue,
            String type,
            int attempt,
            int maxAttempts,
            String workerId,
            BooleanSupplier stopRequested,
            BooleanSupplier cancelRequested) {
        this(
                jobId,
                queue,
                type,
                attempt,
                maxAttempts,
                workerId,
                null,
                null,
                null,
                stopRequested,
                cancelRequested,
                null);
    }

    /** A context of a job that is not cancelled. */
    public JobContext(
            long jobId,
            String queue,
            String type,
            int attempt,
            int maxAttempts,
            String workerId,
            BooleanSupplier stopRequested) {
        this(jobId, queue, type, attempt, maxAttempts, workerId, stopRequested, () -> false);
    }

    /** A context whose worker never stops (for tests of handlers). */
    public JobContext(long jobId, String queue, String type, int attempt, int maxAttempts, String workerId) {
        this(jobId, queue, type, attempt, maxAttempts, workerId, () -> false, () -> false);
    }

    /** The job's id. */
    public long jobId() {
        return jobId;
    }

    /** Its queue. */
    public String queue() {
        return queue;
    }

    /** Its type. */
    public String type() {
        return type;
    }

    /** This attempt's number, from 1. */
    public int attempt() {
        return attempt;
    }

    /** Attempts allowed. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** The worker running it. */
    public String workerId() {
        return workerId;
    }

    /** The batch the job is a member of, or null. */
    public Long batchId() {
        return batchId;
    }

    /** The workflow the job is a step of ({@link Workflows#find} shows it), or null. */
    public Long workflowId() {
        return workflowId;
    }

    /**
     * The batch whose callback this job is (on success, on complete or on failure), or null for a job that is no
     * callback. {@link #callbackBatch()} reads that batch's summary.
     */
    public Long callbackOf() {
        return callbackOf;
    }

    /**
     * For a batch's callback: its batch as it is now, the members' outcomes summarised ({@link BatchView#total()},
     * succeeded, failed, cancelled, its state), read at each call (one statement). Empty for a job that is no callback,
     * or in a context made without a worker.
     *
     * @throws SQLException when the batch cannot be read (let it through: the attempt is retried)
     */
    public Optional<BatchView> callbackBatch() throws SQLException {
        return callbackOf == null ? Optional.empty() : recorder.batch(callbackOf);
    }

    /**
     * The results of the jobs this job runs after: by step name for a workflow's step ({@code
     * context.parentResults().step("charge", Charge.class)}), by job id for any job that runs after others. Read at the
     * first call (one read of the database: the parents and their results), then kept for the attempt. Empty for a job
     * that runs after none, or in a context made without a worker.
     *
     * @throws SQLException when they cannot be read (let it through: the attempt is retried)
     */
    public synchronized ParentResults parentResults() throws SQLException {
        if (parentResults == null) {
            parentResults = recorder.parentResults();
        }
        return parentResults;
    }

    /** True once the worker running it is stopping (see {@link #isStopping()}). */
    public BooleanSupplier stopRequested() {
        return stopRequested;
    }

    /** True once the job was cancelled while it runs (see {@link #isCancelled()}). */
    public BooleanSupplier cancelRequested() {
        return cancelRequested;
    }

    /** Whether a failure of this attempt sends the job to the failed jobs. */
    public boolean lastAttempt() {
        return attempt >= maxAttempts;
    }

    /**
     * Whether the worker is stopping (SIGTERM, {@link Worker#stop()}): a long handler should come to a safe
     * point and return, or throw to have the job retried, before the shutdown grace period ends; after it the
     * job's lease is released and the job runs again elsewhere.
     */
    public boolean isStopping() {
        return stopRequested.getAsBoolean();
    }

    /**
     * Whether the job was cancelled while it runs ({@code steadfast cancel}, {@link JobQueue#cancel(long)}): its thread
     * is interrupted too. A handler that notices should stop and throw (any exception): the job then ends
     * {@code cancelled}, not retried. One that returns normally succeeds. The worker learns of a cancellation at its
     * next heartbeat (a third of the lease, 10 s by default).
     */
    public boolean isCancelled() {
        return cancelRequested.getAsBoolean();
    }

    /**
     * Says how far the job got: the latest call wins. Cheap to call often: it is kept in memory and written with the
     * worker's next heartbeat (every third of the lease) and with the attempt's outcome, never a statement per call.
     * Shown by {@code steadfast jobs show}, {@code GET /api/jobs/{id}} and the job's page.
     *
     * @param fraction 0 to 1
     * @param message  a short message (its first {@value #PROGRESS_MESSAGE_CHARS} characters are kept), or null
     * @throws IllegalArgumentException when the fraction is not within 0 to 1
     */
    public void progress(double fraction, String message) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("progress must be a fraction from 0 to 1, was " + fraction);
        }
        String kept = message == null || message.length() <= PROGRESS_MESSAGE_CHARS
                ? message
                : message.substring(0, PROGRESS_MESSAGE_CHARS);
        recorder.progress(fraction, kept);
    }

    /**
     * Adds a line to this attempt's log (its last {@value #LOG_KEPT_CHARS} characters are kept, as a command's output
     * is), written like {@link #progress}. Shown with the job; the pages mask secrets in it, but do not log secrets.
     */
    public void log(String line) {
        recorder.log(line == null ? "null" : line);
    }

    /**
     * Sets the job's result, stored with its success in the same transaction (the last call wins; null for none): any
     * value Jackson writes as JSON, at most the worker's result size (64 KiB by default): a larger one fails the job
     * without retrying it. Shown with the job, read by the jobs that depend on it. See also
     * {@link JobHandler#returning}.
     *
     * @throws IllegalArgumentException when Jackson cannot write the value
     */
    public void result(Object result) {
        recorder.result(result);
    }

    /**
     * Runs {@code work} once across this job's attempts: its result is recorded under the job's lease, and an attempt
     * that comes to the same step after a retry gets the recorded result without running it. A step that throws is not
     * recorded (it runs again next attempt); a step whose attempt ended between its work and its record runs again, so
     * its work should still be idempotent; for database work that must happen once, use
     * {@link #step(String, Class, TransactionalStep)}.
     *
     * @param name       the step's name, unique within the job (at most {@value #STEP_NAME_CHARS} characters)
     * @param resultType the class its result is read back into on a retry
     * @throws Exception what the work threw; an unchecked exception when the job's lease was lost (the step is not
     *     recorded: let it through, the attempt's outcome is another worker's now)
     */
    public <T> T step(String name, Class<T> resultType, Callable<T> work) throws Exception {
        return recorder.step(checkStep(name), Objects.requireNonNull(resultType, "resultType"), work);
    }

    /** A step without a result: {@link #step(String, Class, Callable)}. */
    public void step(String name, Action work) throws Exception {
        recorder.step(checkStep(name), Object.class, () -> {
            work.run();
            return null;
        });
    }

    /**
     * Runs {@code work} in a transaction that also records the step, fenced by the job's lease: its writes and its
     * record commit together or not at all, so its effect happens exactly once across attempts, and a worker that lost
     * the job's lease cannot commit it. A retry skips it and gets its recorded result.
     *
     * @throws Exception what the work threw (its writes rolled back)
     */
    public <T> T step(String name, Class<T> resultType, TransactionalStep<T> work) throws Exception {
        return recorder.transactionalStep(checkStep(name), Objects.requireNonNull(resultType, "resultType"), work);
    }

    /** A transactional step without a result: {@link #step(String, Class, TransactionalStep)}. */
    public void step(String name, TransactionalAction work) throws Exception {
        recorder.transactionalStep(checkStep(name), Object.class, tx -> {
            work.run(tx);
            return null;
        });
    }

    /**
     * Ends this attempt and runs the job again after {@code delay} without counting the attempt (a rate limit's
     * {@code Retry-After}, a resource not ready yet): throws {@link Snooze}, which the handler must let through. The
     * attempt history says {@code snoozed}.
     */
    public void snooze(Duration delay) {
        throw new Snooze(delay);
    }

    private static String checkStep(String name) {
        if (name == null || name.isBlank() || name.length() > STEP_NAME_CHARS) {
            throw new IllegalArgumentException(
                    "a step needs a name of 1 to " + STEP_NAME_CHARS + " characters, was " + name);
        }
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JobContext c
                && jobId == c.jobId
                && attempt == c.attempt
                && maxAttempts == c.maxAttempts
                && Objects.equals(queue, c.queue)
                && Objects.equals(type, c.type)
                && Objects.equals(workerId, c.workerId)
                && Objects.equals(batchId, c.batchId)
                && Objects.equals(workflowId, c.workflowId)
                && Objects.equals(callbackOf, c.callbackOf)
                && stopRequested.equals(c.stopRequested)
                && cancelRequested.equals(c.cancelRequested);
    }

    @Override
    public int hashCode() {
        return Objects.hash(jobId, queue, type, attempt, maxAttempts, workerId, batchId, workflowId, callbackOf);
    }

    @Override
    public String toString() {
        return "JobContext[jobId=" + jobId + ", queue=" + queue + ", type=" + type + ", attempt=" + attempt
                + ", maxAttempts=" + maxAttempts + ", workerId=" + workerId + ", batchId=" + batchId + ", workflowId="
                + workflowId + ", callbackOf=" + callbackOf + "]";
    }
}
