package dev.steadfast.queue.internal.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.jdbc.DatabaseUnavailableException;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.JobContext;
import dev.steadfast.queue.JobHandler;
import dev.steadfast.queue.NonRetryableException;
import dev.steadfast.queue.RetryBackoff;
import dev.steadfast.queue.TransactionalJobHandler;
import dev.steadfast.queue.events.WorkerEvent.JobFinished;
import dev.steadfast.queue.events.WorkerEvent.JobStarted;
import dev.steadfast.queue.events.WorkerListener;
import dev.steadfast.queue.internal.store.ClaimedJob;
import dev.steadfast.queue.internal.store.JobFailure;
import dev.steadfast.queue.internal.store.JobRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

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
    private final CancelRequests cancels;

    private final JobRepository repository;

    public JobRunner(ResilientDatabase db, JobRepository repository, HandlerRegistry handlers, ObjectMapper mapper,
                     RetryBackoff defaultBackoff, OutcomeWriter outcomes, String workerId, WorkerListener listener, Clock clock,
                     BooleanSupplier stopping, CancelRequests cancels) {
        this.db = db;
        this.repository = repository;
        this.handlers = handlers;
        this.mapper = mapper;
        this.defaultBackoff = defaultBackoff;
        this.outcomes = outcomes;
        this.workerId = workerId;
        this.listener = listener;
        this.clock = clock;
        this.stopping = stopping;
        this.cancels = cancels;
    }

    public void run(ClaimedJob job) {
        cancels.started(job.id());
        try (Operation op = Operation.named("job " + job.id() + " (type " + job.type() + ", queue " + job.queue() + ")")) {
            if (cancels.isRequested(job.id())) {
                cancelled(job, clock.instant()); // cancelled while it waited for a thread: the handler never starts
            } else {
                runNamed(job);
            }
        } finally {
            cancels.finished(job.id());
        }
    }

    private void runNamed(ClaimedJob job) {
        Optional<JobHandler<?>> handler = handlers.find(job.type());
        if (handler.isEmpty()) {
            fail(job, clock.instant(), JobFailure.of("dev.steadfast.queue.UnknownJobTypeException", "no handler for job type '"
                    + job.type() + "' (this worker knows: " + handlers.knownTypes() + ")"));
            return;
        }
        runWith(job, handler.get());
    }

    private <P> void runWith(ClaimedJob job, JobHandler<P> handler) {
        P payload;
        try {
            payload = mapper.readValue(job.payload(), handler.payloadType());
        } catch (JsonProcessingException e) {
            fail(job, clock.instant(), JobFailure.of("dev.steadfast.queue.MalformedPayloadException", "payload of job " + job.id()
                    + " cannot be read as " + handler.payloadType().getSimpleName() + ": " + e.getOriginalMessage()));
            return;
        }
        JobContext context = new JobContext(job.id(), job.queue(), job.type(), job.attempt(), job.maxAttempts(), workerId,
                stopping, () -> cancels.isRequested(job.id()));
        Instant started = clock.instant();
        listener.onEvent(new JobStarted(job.id(), job.queue(), job.type(), job.attempt(), workerId, started));
        try {
            if (handler instanceof TransactionalJobHandler<P> transactional) {
                db.transaction(c -> repository.outcomeCommitted(c, job), tx -> {
                    try {
                        transactional.handle(context, payload, tx);
                    } catch (java.sql.SQLException | RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new HandlerException(e);
                    }
                    if (!repository.markSucceeded(tx, job)) {
                        throw new LeaseLostException(job.id());
                    }
                    return null;
                });
            } else {
                handler.handle(context, payload);
                outcomes.succeeded(job);
            }
            finished(job, started, JobFinished.Result.SUCCEEDED, null);
        } catch (LeaseLostException e) {
            LOG.warn("{}", e.getMessage());
        } catch (DatabaseUnavailableException e) {
            if (cancels.isRequested(job.id())) {
                cancelled(job, started);
                return;
            }
            // The transactional work could not be committed: nothing of it happened. Run it again later.
            JobFailure failure = JobFailure.of(e);
            outcomes.write(Outcome.retry(job, Duration.ZERO, failure));
            finished(job, started, JobFinished.Result.RETRIED, failure, Duration.ZERO);
        } catch (HandlerException e) {
            failed(job, started, handler, e.getCause());
        } catch (Exception e) {
            failed(job, started, handler, e);
        }
    }

    private void failed(ClaimedJob job, Instant started, JobHandler<?> handler, Throwable error) {
        if (cancels.isRequested(job.id())) {
            cancelled(job, started); // it stopped because it was asked to: not a failure, not to be retried
            return;
        }
        JobFailure failure = JobFailure.of(error);
        RetryBackoff backoff = handler.retryBackoff() != null ? handler.retryBackoff() : defaultBackoff;
        Outcome outcome = Outcome.afterFailure(job, failure, backoff, () -> ThreadLocalRandom.current().nextDouble());
        if (outcome.kind() == Outcome.Kind.FAILED || error instanceof NonRetryableException) {
            fail(job, started, failure);
            return;
        }
        outcomes.write(outcome);
        finished(job, started, JobFinished.Result.RETRIED, failure, outcome.delay());
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

    private void finished(ClaimedJob job, Instant started, JobFinished.Result result, JobFailure failure, Duration retryIn) {
        Instant now = clock.instant();
        AttemptLine.log(JOBS, job, result, Duration.between(started, now), failure, retryIn);
        listener.onEvent(new JobFinished(job.id(), job.queue(), job.type(), job.attempt(), job.maxAttempts(), result,
                Duration.between(started, now), failure == null ? null : failure.errorClass(),
                failure == null ? null : failure.message(), workerId, now));
    }

    /** Carries a handler's checked exception out of the unit of work. */
    private static final class HandlerException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HandlerException(Exception cause) {
            super(cause);
        }
    }
}
