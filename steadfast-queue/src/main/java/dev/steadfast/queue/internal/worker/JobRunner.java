package dev.steadfast.queue.internal.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.jdbc.DatabaseUnavailableException;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.JobContext;
import dev.steadfast.queue.JobHandler;
import dev.steadfast.queue.NonRetryableException;
import dev.steadfast.queue.RetryAfter;
import dev.steadfast.queue.RetryBackoff;
import dev.steadfast.queue.Snooze;
import dev.steadfast.queue.TransactionalJobHandler;
import dev.steadfast.queue.events.WorkerEvent.JobFinished;
import dev.steadfast.queue.events.WorkerEvent.JobStarted;
import dev.steadfast.queue.events.WorkerListener;
import dev.steadfast.queue.internal.store.Claimable;
import dev.steadfast.queue.internal.store.ClaimedJob;
import dev.steadfast.queue.internal.store.JobFailure;
import dev.steadfast.queue.internal.store.JobResults;
import dev.steadfast.queue.internal.store.Store;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one claimed job through its handler and records what happened. */
public final class JobRunner {
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    /** One line per attempt outcome: INFO for successes and retries, WARN for final failures. */
    private static final Logger JOBS = LoggerFactory.getLogger("dev.steadfast.queue.jobs");

    private final ResilientDatabase db;
    private final HandlerRegistry handlers;
    private final ObjectMapper mapper;
    private final RetryBackoff defaultBackoff;
    private final OutcomeWriter outcomes;
    private final String workerId;
    private final WorkerListener listener;
    private final Clock clock;
    private final BooleanSupplier stopping;
    private final StopRequests stops;
    private final ScheduledExecutorService timers;

    private final Store store;
    private final RunningAttempts attempts;
    private final int maxResultBytes;

    /**
     * @param attempts       where each attempt's progress, log, result and steps are kept until its outcome is written
     * @param maxResultBytes the largest result a job may return
     */
    public JobRunner(
            ResilientDatabase db,
            Store store,
            HandlerRegistry handlers,
            ObjectMapper mapper,
            RetryBackoff defaultBackoff,
            OutcomeWriter outcomes,
            String workerId,
            WorkerListener listener,
            Clock clock,
            BooleanSupplier stopping,
            StopRequests stops,
            ScheduledExecutorService timers,
            RunningAttempts attempts,
            int maxResultBytes) {
        this.db = db;
        this.attempts = attempts;
        this.maxResultBytes = maxResultBytes;
        this.store = store;
        this.handlers = handlers;
        this.mapper = mapper;
        this.defaultBackoff = defaultBackoff;
        this.outcomes = outcomes;
        this.workerId = workerId;
        this.listener = listener;
        this.clock = clock;
        this.stopping = stopping;
        this.stops = stops;
        this.timers = timers;
    }

    public void run(ClaimedJob job) {
        stops.started(job.id());
        Instant started = clock.instant();
        try (Operation op =
                Operation.named("job " + job.id() + " (type " + job.type() + ", queue " + job.queue() + ")")) {
            if (stops.isCancelled(job.id())) {
                cancelled(job, started); // cancelled while it waited for a thread: the handler never starts
            } else {
                runNamed(job);
            }
        } finally {
            if (stops.finished(job.id())) {
                LOG.warn(
                        "job {}: its stuck handler ended after {} s; its thread is free again",
                        job.id(),
                        Duration.between(started, clock.instant()).toSeconds());
            }
        }
    }

    private void runNamed(ClaimedJob job) {
        Optional<JobHandler<?>> handler = handlers.find(job.type());
        if (handler.isEmpty()) {
            fail(
                    job,
                    clock.instant(),
                    JobFailure.of(
                            "dev.steadfast.queue.UnknownJobTypeException",
                            "no handler for job type '" + job.type() + "' (this worker knows: " + handlers.knownTypes()
                                    + ")"));
            return;
        }
        runWith(job, handler.get());
    }

    private <P> void runWith(ClaimedJob job, JobHandler<P> handler) {
        P payload;
        try {
            payload = mapper.readValue(job.payload(), handler.payloadType());
        } catch (JsonProcessingException e) {
            fail(
                    job,
                    clock.instant(),
                    JobFailure.of(
                            "dev.steadfast.queue.MalformedPayloadException",
                            "payload of job " + job.id() + " cannot be read as "
                                    + handler.payloadType().getSimpleName() + ": " + e.getOriginalMessage()));
            return;
        }
        RunningAttempt attempt = new RunningAttempt(job, db, store, mapper);
        attempts.started(attempt);
        JobContext context = new JobContext(
                job.id(),
                job.queue(),
                job.type(),
                job.attempt(),
                job.maxAttempts(),
                workerId,
                job.batchId(),
                job.workflowId(),
                job.callbackOf(),
                stopping,
                () -> stops.isCancelled(job.id()),
                attempt);
        Instant started = clock.instant();
        Duration timeout = job.timeout() != null ? job.timeout() : handler.timeout();
        ScheduledFuture<?> deadline = timeout == null
                ? null
                : timers.schedule(() -> timeOut(job, timeout), timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            attempt(job, handler, payload, context, attempt, started, timeout);
        } finally {
            if (deadline != null) {
                deadline.cancel(false);
            }
        }
    }

    /** The attempt ran out of time: interrupt it, and report it stuck if it is still running after a grace. */
    private void timeOut(ClaimedJob job, Duration timeout) {
        if (!stops.timeOut(job.id())) {
            return;
        }
        Duration grace = stuckAfter(timeout);
        timers.schedule(
                () -> {
                    if (stops.markStuck(job.id())) {
                        LOG.warn(
                                "job {} (type {}) is stuck: its handler ignored the interrupt {} s after its {} timeout; thread {}"
                                        + " stays taken until it ends",
                                job.id(),
                                job.type(),
                                grace.toSeconds(),
                                describe(timeout),
                                stops.threadName(job.id()));
                    }
                },
                grace.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** How long a handler may take to stop after its timeout's interrupt: as long as the timeout, 1 to 30 s. */
    static Duration stuckAfter(Duration timeout) {
        Duration grace = timeout.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : timeout;
        return grace.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : grace;
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private <P> void attempt(
            ClaimedJob job,
            JobHandler<P> handler,
            P payload,
            JobContext context,
            RunningAttempt attempt,
            Instant started,
            Duration timeout) {
        listener.onEvent(new JobStarted(job.id(), job.queue(), job.type(), job.attempt(), workerId, started));
        try {
            if (handler instanceof TransactionalJobHandler<P> transactional) {
                db.transaction(c -> store.leaving().outcomeCommitted(c, job), tx -> {
                    Claimable.reset();
                    try {
                        transactional.handle(context, payload, tx);
                    } catch (SQLException | RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new HandlerException(e);
                    }
                    if (stops.isTimedOut(job.id())) {
                        throw new AttemptTimedOut(); // past its time: its writes roll back with the attempt
                    }
                    JobResults.Result result = attempt.resultWithin(maxResultBytes);
                    if (!store.leaving().markSucceeded(tx, job)) {
                        throw new LeaseLostException(job.id());
                    }
                    if (result != null) {
                        store.results().store(tx, List.of(result));
                    }
                    return null;
                });
                outcomes.announceClaimable();
                lastNotes(attempt);
            } else {
                handler.handle(context, payload);
                if (releasedAtShutdown(job, true)) {
                    return;
                }
                if (stops.isTimedOut(job.id())) {
                    throw new AttemptTimedOut(); // it ended, but after its time: the attempt failed
                }
                attempt.resultWithin(maxResultBytes); // a result too large fails the job here, not retried
                outcomes.succeeded(job);
            }
            finished(job, started, JobFinished.Result.SUCCEEDED, null);
        } catch (Snooze e) {
            if (!releasedAtShutdown(job, false)) {
                snoozed(job, started, e.delay());
            }
        } catch (LeaseLostException e) {
            attempts.forget(job);
            if (!releasedAtShutdown(job, false)) {
                LOG.warn("{}", e.getMessage());
            }
        } catch (DatabaseUnavailableException e) {
            if (releasedAtShutdown(job, false)) {
                return;
            }
            if (stops.isTimedOut(job.id()) || stops.isCancelled(job.id())) {
                failed(job, started, handler, e, timeout);
                return;
            }
            // The transactional work could not be committed: nothing of it happened. Run it again later.
            JobFailure failure = JobFailure.of(e);
            outcomes.write(Outcome.retry(job, Duration.ZERO, failure));
            finished(job, started, JobFinished.Result.RETRIED, failure, Duration.ZERO);
        } catch (HandlerException e) {
            failed(job, started, handler, e.getCause(), timeout);
        } catch (Exception e) {
            failed(job, started, handler, e, timeout);
        }
    }

    /**
     * A failed attempt: cancelled when it was asked to stop, timed out when it ran out of time (whatever it threw
     * then), otherwise what it threw.
     */
    private void failed(ClaimedJob job, Instant started, JobHandler<?> handler, Throwable error, Duration timeout) {
        if (releasedAtShutdown(job, false)) {
            return;
        }
        if (stops.isTimedOut(job.id())) {
            failed(job, started, handler, timedOut(timeout), false);
        } else if (stops.isCancelled(job.id())) {
            cancelled(job, started); // it stopped because it was asked to: not a failure, not to be retried
        } else if (error instanceof RetryAfter retryAfter) {
            retryAfter(job, started, retryAfter);
        } else {
            failed(job, started, handler, failureOf(error), error instanceof NonRetryableException);
        }
    }

    /** What a handler's error is recorded as; the worker's own refusal of a result is one line, no stack of ours. */
    private static JobFailure failureOf(Throwable error) {
        return error instanceof RunningAttempt.ResultTooLargeException
                ? JobFailure.of("dev.steadfast.queue.ResultTooLargeException", error.getMessage())
                : JobFailure.of(error);
    }

    private void failed(
            ClaimedJob job, Instant started, JobHandler<?> handler, JobFailure failure, boolean nonRetryable) {
        RetryBackoff backoff = handler.retryBackoff() != null ? handler.retryBackoff() : defaultBackoff;
        Outcome outcome = Outcome.afterFailure(
                job, failure, backoff, () -> ThreadLocalRandom.current().nextDouble());
        if (outcome.kind() == Outcome.Kind.FAILED || nonRetryable) {
            fail(job, started, failure);
            return;
        }
        outcomes.write(outcome);
        finished(job, started, JobFinished.Result.RETRIED, failure, outcome.delay());
    }

    /** The handler chose when to try again: the attempt counts, its backoff is not used. */
    private void retryAfter(ClaimedJob job, Instant started, RetryAfter retryAfter) {
        JobFailure failure = JobFailure.of(retryAfter.getCause() != null ? retryAfter.getCause() : retryAfter);
        if (job.attempt() >= job.maxAttempts()) {
            fail(job, started, failure);
            return;
        }
        outcomes.write(Outcome.retry(job, retryAfter.delay(), failure));
        finished(job, started, JobFinished.Result.RETRIED, failure, retryAfter.delay());
    }

    /** The handler snoozed: the job runs again after the delay, the attempt not counted and no failure recorded. */
    private void snoozed(ClaimedJob job, Instant started, Duration delay) {
        outcomes.write(Outcome.snoozed(job, delay));
        LOG.info("job {} snoozed for {} ms (attempt not counted)", job.id(), delay.toMillis());
        Instant now = clock.instant();
        listener.onEvent(new JobFinished(
                job.id(),
                job.queue(),
                job.type(),
                job.attempt(),
                job.maxAttempts(),
                JobFinished.Result.RETRIED,
                Duration.between(started, now),
                Snooze.class.getName(),
                "snoozed for " + delay.toMillis() + " ms",
                workerId,
                now));
    }

    /** A transactional handler's last progress and log lines, written after its success committed. */
    private void lastNotes(RunningAttempt attempt) {
        NoteFlush notes = NoteFlush.forOutcome(List.of(attempt));
        try {
            db.read(c -> {
                notes.write(c, store);
                return null;
            });
            notes.written();
        } catch (SQLException | RuntimeException e) {
            notes.notWritten();
            LOG.warn(
                    "job {}: its last progress and log lines were not written: {}",
                    attempt.job().id(),
                    e.toString());
        } finally {
            attempts.forget(attempt.job());
        }
    }

    /**
     * Whether the job was released at shutdown while its handler ran: it is pending again (logged so when released),
     * and what the interrupted handler did is no outcome to record or log, unless it had done all its work, which is
     * then done again.
     */
    private boolean releasedAtShutdown(ClaimedJob job, boolean handlerSucceeded) {
        if (!stops.isReleased(job.id())) {
            return false;
        }
        attempts.forget(job);
        if (handlerSucceeded) {
            LOG.info(
                    "job {}: its handler completed after the job was released at shutdown; the job runs again",
                    job.id());
        }
        return true;
    }

    private static JobFailure timedOut(Duration timeout) {
        return JobFailure.of("dev.steadfast.queue.JobTimeoutException", "timed out after " + describe(timeout));
    }

    private void cancelled(ClaimedJob job, Instant started) {
        outcomes.write(Outcome.cancelled(job));
        finished(job, started, JobFinished.Result.CANCELLED, null);
    }

    private void fail(ClaimedJob job, Instant started, JobFailure failure) {
        outcomes.write(Outcome.failed(job, failure));
        finished(job, started, JobFinished.Result.FAILED, failure);
    }

    private void finished(ClaimedJob job, Instant started, JobFinished.Result result, JobFailure failure) {
        finished(job, started, result, failure, null);
    }

    private void finished(
            ClaimedJob job, Instant started, JobFinished.Result result, JobFailure failure, Duration retryIn) {
        Instant now = clock.instant();
        AttemptLine.log(JOBS, job, result, Duration.between(started, now), failure, retryIn);
        listener.onEvent(new JobFinished(
                job.id(),
                job.queue(),
                job.type(),
                job.attempt(),
                job.maxAttempts(),
                result,
                Duration.between(started, now),
                failure == null ? null : failure.errorClass(),
                failure == null ? null : failure.message(),
                workerId,
                now));
    }

    /** A handler that ended after its attempt's time: the attempt fails as timed out however it ended. */
    private static final class AttemptTimedOut extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AttemptTimedOut() {
            super(null, null, false, false);
        }
    }

    /** Carries a handler's checked exception out of the unit of work. */
    private static final class HandlerException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HandlerException(Exception cause) {
            super(cause);
        }
    }
}
