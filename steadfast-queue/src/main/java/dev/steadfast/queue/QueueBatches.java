package dev.steadfast.queue;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.internal.enqueue.JobRows;
import dev.steadfast.queue.internal.store.JobBatches;
import dev.steadfast.queue.internal.store.NewJob;
import dev.steadfast.queue.internal.store.Store;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Batches of a queue ({@link JobQueue#batches()}): enqueue them, add members while they run, close, cancel, retry
 * their failed members, read their progress. Each change is one transaction; a member's end and its batch's
 * bookkeeping (counts, callbacks) commit together, so a callback is enqueued exactly once.
 */
public final class QueueBatches {
    private final ResilientDatabase db;
    private final Store store;
    private final JobRows rows;
    private final AmbientTransaction ambient; // null: each enqueue in a transaction of its own
    private final Consumer<List<NewJob>> announce;

    QueueBatches(
            ResilientDatabase db,
            Store store,
            JobRows rows,
            AmbientTransaction ambient,
            Consumer<List<NewJob>> announce) {
        this.db = db;
        this.store = store;
        this.rows = rows;
        this.ambient = ambient;
        this.announce = announce;
    }

    /** Enqueues a batch, its members, nested batches and callbacks, in one transaction: all or none. */
    public BatchEnqueued enqueue(BatchRequest batch) throws SQLException {
        List<NewJob> written = new ArrayList<>();
        Plan plan = plan(batch, written);
        if (ambient != null) {
            Optional<BatchEnqueued> joined =
                    ambient.join(c -> write(c, plan, null, null), () -> announce.accept(written));
            if (joined.isPresent()) {
                return joined.get();
            }
        }
        AtomicLong id = new AtomicLong();
        // the batch's row proves the commit of a cut-off COMMIT: InnoDB never hands out an id twice
        BatchEnqueued done =
                db.transaction(c -> id.get() != 0 && store.batches().exists(c, id.get()), tx -> {
                    BatchEnqueued in = write(tx, plan, null, null);
                    id.set(in.id());
                    return in;
                });
        announce.accept(written);
        return done;
    }

    /** Enqueues a batch inside the caller's transaction: it exists only if that transaction commits. */
    public BatchEnqueued enqueue(Connection transaction, BatchRequest batch) throws SQLException {
        return write(transaction, plan(batch, new ArrayList<>()), null, null);
    }

    /**
     * Adds members to a batch that has not ended and is not cancelled: an open batch, or a running one (a member adding
     * the work it discovered: call it from the member's handler with the batch id of {@link #memberOf}); returns their
     * ids.
     *
     * @throws IllegalStateException when the batch has ended, is cancelled or does not exist
     */
    public List<Long> add(long batchId, List<JobRequest> members) throws SQLException {
        List<NewJob> written = members(members);
        if (ambient != null) {
            Optional<List<Long>> joined =
                    ambient.join(c -> addRows(c, batchId, written), () -> announce.accept(written));
            if (joined.isPresent()) {
                return joined.get();
            }
        }
        AtomicLong first = new AtomicLong();
        List<Long> ids =
                db.transaction(c -> first.get() != 0 && store.inserts().allExist(c, List.of(first.get())), tx -> {
                    List<Long> in = addRows(tx, batchId, written);
                    first.set(in.isEmpty() ? 0 : in.get(0));
                    return in;
                });
        announce.accept(written);
        return ids;
    }

    /** Adds members to a batch in the caller's transaction (see {@link #add(long, List)}). */
    public List<Long> add(Connection transaction, long batchId, List<JobRequest> members) throws SQLException {
        return addRows(transaction, batchId, members(members));
    }

    private List<Long> addRows(Connection tx, long batchId, List<NewJob> members) throws SQLException {
        if (members.isEmpty()) {
            return List.of();
        }
        if (!store.batches().addMembers(tx, batchId, members.size())) {
            throw new IllegalStateException(
                    "batch " + batchId + " takes no more members: it has ended, is cancelled or does not exist");
        }
        List<Long> ids = store.inserts().insert(tx, members, batchId);
        if (store.stepBatches().held(tx, batchId)) {
            store.stepBatches().hold(tx, batchId); // a workflow's step whose parents have not all succeeded yet
        }
        return ids;
    }

    /**
     * Closes an open batch: it ends when its last member finishes (at once, firing its callbacks, when every member
     * has finished already); false when it was not open.
     */
    public boolean close(long batchId) throws SQLException {
        return db.transaction(tx -> store.batches().close(tx, batchId));
    }

    /**
     * Cancels a batch that has not ended, with its nested batches: pending members are cancelled, running ones asked
     * to stop; it ends (cancelled, on_complete fired) when the last of them has finished. False when it had ended or
     * does not exist.
     */
    public boolean cancel(long batchId) throws SQLException {
        return db.transaction(tx -> store.batches().cancel(tx, batchId, store.actions()));
    }

    /**
     * Puts the batch's failed members (and its nested batches') back to pending with fresh attempts, in one
     * transaction; the batch runs again and its callbacks are re-armed, so each fires once more when its condition is
     * met again. Returns how many jobs were retried.
     */
    public long retryFailed(long batchId) throws SQLException {
        return db.transaction(tx -> store.batches().retryFailed(tx, batchId, store.actions()));
    }

    /** A batch with its progress; empty when there is no such batch. */
    public Optional<BatchView> find(long batchId) throws SQLException {
        return db.read(c -> store.batches().view(c, batchId));
    }

    /** Batches newest first: at most {@code limit}, with ids below {@code beforeId} (null: from the newest). */
    public List<BatchView> list(Long beforeId, int limit) throws SQLException {
        return db.read(c -> store.batches().page(c, beforeId, limit));
    }

    /** The batch the job is a member of; empty when none. */
    public Optional<BatchView> memberOf(long jobId) throws SQLException {
        return db.read(c -> {
            Optional<Long> id = store.batches().batchOf(c, jobId, true);
            return id.isEmpty() ? Optional.empty() : store.batches().view(c, id.get());
        });
    }

    /** The batch whose callback the job is (its summary, for the callback's handler); empty when none. */
    public Optional<BatchView> callbackOf(long jobId) throws SQLException {
        return db.read(c -> {
            Optional<Long> id = store.batches().batchOf(c, jobId, false);
            return id.isEmpty() ? Optional.empty() : store.batches().view(c, id.get());
        });
    }

    /** A batch's rows, checked before anything is written. */
    private record Plan(
            BatchRequest request, List<NewJob> members, List<JobBatches.Callback> callbacks, List<Plan> nested) {}

    private Plan plan(BatchRequest batch, List<NewJob> written) {
        List<NewJob> members = members(batch.jobs());
        written.addAll(members);
        List<JobBatches.Callback> callbacks = new ArrayList<>();
        addCallback(callbacks, JobBatches.ON_SUCCESS, batch.onSuccessJob());
        addCallback(callbacks, JobBatches.ON_COMPLETE, batch.onCompleteJob());
        addCallback(callbacks, JobBatches.ON_FAILURE, batch.onFailureJob());
        List<Plan> nested = new ArrayList<>();
        for (BatchRequest child : batch.batches()) {
            nested.add(plan(child, written));
        }
        return new Plan(batch, members, callbacks, nested);
    }

    private void addCallback(List<JobBatches.Callback> callbacks, int kind, JobRequest job) {
        if (job != null) {
            callbacks.add(new JobBatches.Callback(kind, rows.row(job)));
        }
    }

    private List<NewJob> members(List<JobRequest> requests) {
        List<NewJob> members = new ArrayList<>(requests.size());
        for (JobRequest request : requests) {
            if (request.uniqueKey() != null) {
                throw new IllegalArgumentException("a batch's member cannot have a unique key");
            }
            if (!request.after().isEmpty()) {
                throw new IllegalArgumentException("a batch's member cannot run after other jobs ('after'): to run a"
                        + " batch after jobs, make it a workflow's step");
            }
            members.add(rows.row(request));
        }
        return members;
    }

    /** A batch checked before anything is written, written later as the batch of a workflow's step. */
    interface StepBatch {
        /** Writes the batch with this stand-in job (the step's job) in the workflow's transaction; its id. */
        long write(Connection tx, long standInJobId) throws SQLException;
    }

    /** Checks a workflow step's batch (payloads, callbacks) now; it is written by the workflow's transaction. */
    StepBatch forStep(BatchRequest batch) {
        Plan plan = plan(batch, new ArrayList<>());
        return (tx, standIn) -> write(tx, plan, null, standIn).id();
    }

    /**
     * Writes a batch: nested in {@code parentId}'s when not null, and standing in there (or for a workflow's step) as
     * {@code standIn} when not null.
     */
    private BatchEnqueued write(Connection tx, Plan plan, Long parentId, Long standIn) throws SQLException {
        BatchRequest r = plan.request();
        long id = store.batches()
                .create(tx, r.descriptionText(), r.open(), r.size(), parentId, standIn, plan.callbacks());
        List<Long> jobIds =
                plan.members().isEmpty() ? List.of() : store.inserts().insert(tx, plan.members(), id);
        List<BatchEnqueued> nested = new ArrayList<>();
        for (Plan child : plan.nested()) {
            String queue = child.members().isEmpty()
                    ? JobRequest.DEFAULT_QUEUE
                    : child.members().get(0).queue();
            long nestedStandIn = store.batches().insertStandIn(tx, id, queue);
            nested.add(write(tx, child, id, nestedStandIn));
        }
        if (r.size() == 0) {
            store.batches().settleEmpty(tx, id);
        }
        return new BatchEnqueued(id, jobIds, nested, parentId == null ? null : standIn);
    }
}
