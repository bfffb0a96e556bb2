package dev.steadfast.queue.internal.worker;

import dev.steadfast.jdbc.DatabaseUnavailableException;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.jdbc.threads.DaemonThreads;
import dev.steadfast.queue.internal.store.Claimable;
import dev.steadfast.queue.internal.store.ClaimedJob;
import dev.steadfast.queue.internal.store.JobResults;
import dev.steadfast.queue.internal.store.Store;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes attempt outcomes, each in a unit of work whose interrupted COMMIT is resolved by the job row
 * itself (it left 'running' under our lease token). Successes are written in batches by a thread of
 * their own: one transaction for many jobs instead of one each. While the database is unreachable,
 * finished outcomes wait here and are written, still fenced by their lease, as soon as it is back.
 */
public final class OutcomeWriter {
    private static final Logger LOG = LoggerFactory.getLogger(OutcomeWriter.class);

    private final ResilientDatabase db;
    private final String workerId;
    private final DatabaseHealth health;
    private static final int SUCCESS_BATCH = 200;

    private final ConcurrentLinkedQueue<Outcome> waiting = new ConcurrentLinkedQueue<>();
    private final LinkedBlockingQueue<ClaimedJob> successes = new LinkedBlockingQueue<>();
    private final AtomicInteger successesInFlight = new AtomicInteger();
    private final Thread successWriter;
    private volatile boolean closed;

    private final Store store;
    private volatile Runnable slotsFreed = () -> {};
    private volatile Runnable madeClaimable = () -> {};

    private final RunningAttempts attempts;
    private final int maxResultBytes;

    /**
     * @param attempts       where a job's result and unwritten notes are found
     * @param maxResultBytes the largest result stored (a larger one was refused when its handler returned)
     */
    public OutcomeWriter(
            ResilientDatabase db,
            Store store,
            String workerId,
            DatabaseHealth health,
            RunningAttempts attempts,
            int maxResultBytes) {
        this.db = db;
        this.attempts = attempts;
        this.maxResultBytes = maxResultBytes;
        this.store = store;
        this.workerId = workerId;
        this.health = health;
        this.successWriter = DaemonThreads.thread("steadfast-success-writer", this::writeSuccesses);
        this.successWriter.start();
    }

    /** Runs after successes that gave concurrency slots back are written (the worker claims again). */
    public void onSlotsFreed(Runnable action) {
        this.slotsFreed = action;
    }

    /**
     * Runs after an outcome whose transaction made jobs claimable that no enqueue announced (a batch's callback, a
     * waiting job made pending): the worker claims at once and rings the other workers' doorbells.
     */
    public void onJobsMadeClaimable(Runnable action) {
        this.madeClaimable = action;
    }

    /** After a commit on this thread ({@link Claimable}): wakes the workers when its unit of work made jobs claimable. */
    void announceClaimable() {
        if (Claimable.take()) {
            madeClaimable.run();
        }
    }

    /** Queues a success for the batch writer. */
    public void succeeded(ClaimedJob job) {
        successesInFlight.incrementAndGet();
        successes.add(job);
    }

    /** Successes queued or being written. */
    public int pendingSuccesses() {
        return successesInFlight.get();
    }

    /**
     * Writes every queued success, then stops the batch writer. The writer is not interrupted: an
     * interrupt would close its connection mid-transaction.
     */
    public void close() {
        closed = true;
        try {
            successWriter.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drainSuccesses(); // in case the writer did not finish in time
    }

    private void writeSuccesses() {
        while (!closed || !successes.isEmpty()) {
            try {
                ClaimedJob first = successes.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<ClaimedJob> batch = new ArrayList<>();
                batch.add(first);
                successes.drainTo(batch, SUCCESS_BATCH - 1);
                writeSuccessBatch(batch);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void drainSuccesses() {
        List<ClaimedJob> batch = new ArrayList<>();
        while (successes.drainTo(batch, SUCCESS_BATCH) > 0) {
            writeSuccessBatch(batch);
            batch = new ArrayList<>();
        }
    }

    private void writeSuccessBatch(List<ClaimedJob> batch) {
        // the batch's results in one statement, its jobs' last progress and log lines in at most two: a job that has
        // none of them costs nothing
        List<RunningAttempt> ran =
                batch.stream().map(attempts::of).filter(Objects::nonNull).toList();
        List<JobResults.Result> results = new ArrayList<>();
        for (RunningAttempt attempt : ran) {
            JobResults.Result result = attempt.resultWithin(Integer.MAX_VALUE); // its size was checked at its return
            if (result != null) {
                results.add(result);
            }
        }
        NoteFlush notes = NoteFlush.forOutcome(ran);
        boolean forget = true;
        try (Operation op = Operation.named(
                "successes of " + batch.size() + " job(s) from " + batch.get(0).id())) {
            int ours = db.transaction(c -> store.leaving().outcomeCommitted(c, batch.get(0)), tx -> {
                Claimable.reset();
                notes.write(tx, store);
                int marked = store.leaving().markAllSucceeded(tx, batch);
                store.results().store(tx, results);
                return marked;
            });
            notes.written();
            health.ok();
            announceClaimable();
            if (batch.stream().anyMatch(job -> job.concurrencyKey() != null)) {
                slotsFreed.run(); // a job waiting for one of these slots can be claimed now, not at the next poll
            }
            if (ours < batch.size()) {
                LOG.warn(
                        "{} of {} jobs lost their lease before their success could be recorded; other workers own them",
                        batch.size() - ours,
                        batch.size());
            }
        } catch (DatabaseUnavailableException e) {
            notes.notWritten();
            forget = false; // written, with their results and notes, when the database is back
            health.unreachable(e);
            batch.forEach(job -> waiting.add(Outcome.succeeded(job)));
        } catch (SQLException | RuntimeException e) {
            notes.notWritten();
            LOG.error("could not record the success of {} job(s): {}", batch.size(), e.toString(), e);
        } finally {
            if (forget) {
                batch.forEach(attempts::forget);
            }
            successesInFlight.addAndGet(-batch.size());
        }
    }

    /** Writes the outcome now, or keeps it for later when the database is unreachable. */
    public void write(Outcome outcome) {
        boolean forget = true;
        try {
            writeNow(outcome);
            health.ok();
        } catch (DatabaseUnavailableException e) {
            health.unreachable(e);
            waiting.add(outcome);
            forget = false;
        } catch (SQLException | RuntimeException e) {
            LOG.error(
                    "could not record the outcome of job {} ({}): {}",
                    outcome.job().id(),
                    outcome.kind(),
                    e.toString(),
                    e);
        } finally {
            if (forget) {
                attempts.forget(outcome.job());
            }
        }
    }

    /** Writes what waited during an outage; returns how many are still waiting. */
    public int flush() {
        List<Outcome> batch = new ArrayList<>();
        Outcome next;
        while ((next = waiting.poll()) != null) {
            batch.add(next);
        }
        for (Outcome outcome : batch) {
            write(outcome);
        }
        return waiting.size();
    }

    public int waiting() {
        return waiting.size();
    }

    private void writeNow(Outcome outcome) throws SQLException {
        try (Operation op = Operation.named("outcome (" + outcome.kind().name().toLowerCase(Locale.ROOT) + ") of job "
                + outcome.job().id())) {
            writeOutcome(outcome);
        }
    }

    private void writeOutcome(Outcome outcome) throws SQLException {
        RunningAttempt attempt = attempts.of(outcome.job());
        JobResults.Result result = outcome.kind() == Outcome.Kind.SUCCEEDED && attempt != null
                ? attempt.resultWithin(maxResultBytes)
                : null;
        NoteFlush notes = NoteFlush.forOutcome(attempt == null ? List.of() : List.of(attempt));
        boolean ours;
        try {
            ours = db.transaction(c -> store.leaving().outcomeCommitted(c, outcome.job()), tx -> {
                Claimable.reset();
                notes.write(tx, store);
                boolean left = switch (outcome.kind()) {
                    case SUCCEEDED -> store.leaving().markSucceeded(tx, outcome.job());
                    case RETRY -> store.leaving().scheduleRetry(tx, outcome.job(), outcome.delay(), outcome.failure());
                    case SNOOZED -> store.leaving().snooze(tx, outcome.job(), outcome.delay());
                    case FAILED -> store.leaving().markFailed(tx, outcome.job(), outcome.failure(), workerId);
                    case CANCELLED -> store.leaving().markCancelled(tx, outcome.job());
                };
                if (left && result != null) {
                    store.results().store(tx, List.of(result));
                }
                return left;
            });
            notes.written();
        } catch (SQLException | RuntimeException e) {
            notes.notWritten();
            throw e;
        }
        announceClaimable();
        if (!ours) {
            LOG.warn(
                    "job {}: lease lost before its outcome ({}) could be recorded; another worker owns it now",
                    outcome.job().id(),
                    outcome.kind());
        }
    }
}
