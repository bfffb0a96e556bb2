package dev.steadfast.queue;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A batch to enqueue: member jobs (and nested batches) enqueued at once, atomically, with callbacks, each an ordinary
 * job enqueued exactly once, in the transaction of the member's end that meets its condition:
 *
 * <ul>
 *   <li>{@link #onSuccess}: every member succeeded;
 *   <li>{@link #onComplete}: every member finished, whatever the outcome;
 *   <li>{@link #onFailure}: a member failed for good (the first one; armed again by {@link QueueBatches#retryFailed}).
 * </ul>
 *
 * <p>A callback job carries its batch's id in the job row ({@link QueueBatches#callbackOf(long)} answers the batch's
 * summary from the callback's job id, e.g. {@code context.jobId()}). Callbacks run when their condition is met, so
 * they take no delay, run time, unique key or concurrency limit. Members take no unique key.
 *
 * <p>Built in place (not thread-safe): {@code queue.batch().onSuccess(done).add(a, b, c).enqueue()}.
 */
public final class BatchRequest {
    private final QueueBatches queue; // null for a batch enqueued through QueueBatches or nested in another
    private final List<JobRequest> jobs = new ArrayList<>();
    private final List<BatchRequest> batches = new ArrayList<>();
    private JobRequest onSuccess;
    private JobRequest onComplete;
    private JobRequest onFailure;
    private String description;
    private boolean open;

    BatchRequest(QueueBatches queue) {
        this.queue = queue;
    }

    /** A batch to enqueue with {@link QueueBatches#enqueue(BatchRequest)}, or to nest in another with {@link #add(BatchRequest)}. */
    public static BatchRequest create() {
        return new BatchRequest(null);
    }

    /** The job enqueued when every member has succeeded. */
    public BatchRequest onSuccess(JobRequest callback) {
        this.onSuccess = callback(callback);
        return this;
    }

    /** The job enqueued when every member has finished, whatever the outcome. */
    public BatchRequest onComplete(JobRequest callback) {
        this.onComplete = callback(callback);
        return this;
    }

    /** The job enqueued when a member has failed for good (once; again after {@link QueueBatches#retryFailed}). */
    public BatchRequest onFailure(JobRequest callback) {
        this.onFailure = callback(callback);
        return this;
    }

    /** A short text shown with the batch (at most 255 characters). */
    public BatchRequest description(String text) {
        if (text != null && text.length() > 255) {
            throw new IllegalArgumentException("a batch's description is at most 255 characters, got " + text.length());
        }
        this.description = text;
        return this;
    }

    /**
     * Keeps the batch open: members may be added from anywhere ({@link QueueBatches#add}) and it does not end, even
     * with every member finished, until {@link QueueBatches#close} is called.
     */
    public BatchRequest keepOpen() {
        this.open = true;
        return this;
    }

    /** Adds member jobs. */
    public BatchRequest add(JobRequest... members) {
        return addAll(List.of(members));
    }

    /** Adds member jobs. */
    public BatchRequest addAll(Collection<JobRequest> members) {
        for (JobRequest member : members) {
            if (!Objects.requireNonNull(member, "member").after().isEmpty()) {
                throw new IllegalArgumentException("a batch's member cannot run after other jobs (a '" + member.type()
                        + "' job names 'after'): to run a batch after jobs, make it a workflow's step");
            }
            if (member.uniqueKey() != null) {
                throw new IllegalArgumentException("a batch's member cannot have a unique key (a '" + member.type()
                        + "' job has one): a key matching a live job would enqueue nothing for the batch");
            }
            jobs.add(member);
        }
        return this;
    }

    /**
     * Adds a nested batch as one member: it stands in this batch as a job (state {@code waiting}, type {@code
     * steadfast.batch}) that ends as the nested batch ends (succeeded, failed or cancelled).
     */
    public BatchRequest add(BatchRequest nested) {
        if (nested == this || nested.queue != null) {
            throw new IllegalArgumentException("nest a batch made by BatchRequest.create(), not this one or a queue's");
        }
        batches.add(nested);
        return this;
    }

    /** Enqueues this batch (made by {@link JobQueue#batch()}) in a transaction of its own. */
    public BatchEnqueued enqueue() throws SQLException {
        return bound().enqueue(this);
    }

    /** Enqueues this batch (made by {@link JobQueue#batch()}) in the caller's transaction. */
    public BatchEnqueued enqueue(Connection transaction) throws SQLException {
        return bound().enqueue(transaction, this);
    }

    private QueueBatches bound() {
        if (queue == null) {
            throw new IllegalStateException("this batch was made by BatchRequest.create(): enqueue it with"
                    + " queue.batches().enqueue(batch)");
        }
        return queue;
    }

    private static JobRequest callback(JobRequest job) {
        Objects.requireNonNull(job, "callback");
        if (job.delay() != null && !job.delay().isZero()
                || job.runAt() != null
                || job.uniqueKey() != null
                || !job.after().isEmpty()
                || job.concurrencyKey() != null) {
            throw new IllegalArgumentException("a batch's callback ('" + job.type() + "') runs when its condition is"
                    + " met: it takes no delay, run time, unique key, 'after' or concurrency limit");
        }
        return job;
    }

    List<JobRequest> jobs() {
        return jobs;
    }

    List<BatchRequest> batches() {
        return batches;
    }

    JobRequest onSuccessJob() {
        return onSuccess;
    }

    JobRequest onCompleteJob() {
        return onComplete;
    }

    JobRequest onFailureJob() {
        return onFailure;
    }

    String descriptionText() {
        return description;
    }

    boolean open() {
        return open;
    }

    /** The queue of its first member (a nested batch's when it has only those), for its stand-in job. */
    String firstQueue() {
        if (!jobs.isEmpty()) {
            return jobs.get(0).queue();
        }
        return batches.isEmpty() ? JobRequest.DEFAULT_QUEUE : batches.get(0).firstQueue();
    }

    /** Members and nested batches, each counted once. */
    int size() {
        return jobs.size() + batches.size();
    }
}
