package dev.steadfast.queue.testing;

import dev.steadfast.queue.JobContext;
import dev.steadfast.queue.JobHandler;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.JobRequest;
import dev.steadfast.queue.JobType;
import dev.steadfast.queue.RetryBackoff;
import dev.steadfast.queue.TransactionalJobHandler;
import dev.steadfast.queue.Worker;
import dev.steadfast.queue.events.WorkerEvent;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * For your own tests: runs every job that is due in the given queues, through your real handlers against your
 * real database, until none is left, and says what happened (as Sidekiq's {@code drain_all}). Jobs that handlers
 * enqueue are run too; retries run at once instead of after their backoff; jobs delayed to later stay.
 *
 * <pre>{@code
 * queue.enqueue(SIGNUP.request(new Signup("ada@example.com")).build());
 * JobDrain.Result result = JobDrain.of(queue).handler(SIGNUP.handler(signups::handle)).run();
 * assertThat(result.failed()).isEmpty();
 * }</pre>
 */
public final class JobDrain {
    private final JobQueue queue;
    private final List<JobHandler<?>> handlers = new ArrayList<>();
    private List<String> queues = List.of(JobRequest.DEFAULT_QUEUE);
    private Duration timeout = Duration.ofSeconds(60);

    private JobDrain(JobQueue queue) {
        this.queue = Objects.requireNonNull(queue);
    }

    public static JobDrain of(JobQueue queue) {
        return new JobDrain(queue);
    }

    public JobDrain handler(JobHandler<?> handler) {
        handlers.add(withoutBackoff(handler));
        return this;
    }

    /** The queues to drain (default: {@code default}). */
    public JobDrain queues(String... names) {
        this.queues = List.of(names);
        return this;
    }

    /** How long a drain may take before it fails (default 60 s): a job that re-enqueues itself forever ends here. */
    public JobDrain timeout(Duration limit) {
        this.timeout = Objects.requireNonNull(limit);
        return this;
    }

    /**
     * What a drain ran: every attempt's outcome, in the order they finished.
     *
     * @param attempts the finished attempts
     */
    public record Result(List<WorkerEvent.JobFinished> attempts) {
        public Result {
            attempts = List.copyOf(attempts);
        }

        /** Ids of the jobs that succeeded. */
        public List<Long> succeeded() {
            return ids(WorkerEvent.JobFinished.Result.SUCCEEDED);
        }

        /** Ids of the jobs that failed for good. */
        public List<Long> failed() {
            return ids(WorkerEvent.JobFinished.Result.FAILED);
        }

        /** Attempts that failed and were retried. */
        public List<WorkerEvent.JobFinished> retries() {
            return attempts.stream()
                    .filter(a -> a.result() == WorkerEvent.JobFinished.Result.RETRIED)
                    .toList();
        }

        private List<Long> ids(WorkerEvent.JobFinished.Result result) {
            return attempts.stream()
                    .filter(a -> a.result() == result)
                    .map(WorkerEvent.JobFinished::jobId)
                    .toList();
        }
    }

    /**
     * Runs until no due job of the handled types is left in the queues.
     *
     * @throws IllegalStateException when the timeout passes first
     */
    public Result run() throws Exception {
        if (handlers.isEmpty()) {
            throw new IllegalStateException("a drain needs the handlers of the jobs it runs");
        }
        List<WorkerEvent.JobFinished> finished = new CopyOnWriteArrayList<>();
        Worker.Builder builder = Worker.builder(queue)
                .queues(queues)
                .concurrency(1)
                .batchSize(1)
                .pollInterval(Duration.ofMillis(5), Duration.ofMillis(20))
                .retryBackoff(RetryBackoff.fixed(Duration.ZERO))
                .shutdownGrace(Duration.ofSeconds(5))
                .listener(event -> {
                    if (event instanceof WorkerEvent.JobFinished f) {
                        finished.add(f);
                    }
                });
        handlers.forEach(builder::handler);
        Worker worker = builder.build();
        worker.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (queue.unfinished(queues, worker.types()) > 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "jobs were still left after draining for " + timeout.toMillis() + " ms");
                }
                Thread.sleep(10);
            }
        } finally {
            worker.stop();
            worker.awaitTermination(Duration.ofSeconds(10));
        }
        return new Result(finished);
    }

    /** The same handler with retries at once: a drain does not wait out backoffs. */
    private static <P> JobHandler<P> withoutBackoff(JobHandler<P> handler) {
        Objects.requireNonNull(handler);
        RetryBackoff none = RetryBackoff.fixed(Duration.ZERO);
        if (handler instanceof TransactionalJobHandler<P> transactional) {
            return new TransactionalJobHandler<>() {
                @Override
                public String type() {
                    return transactional.type();
                }

                @Override
                public Class<P> payloadType() {
                    return transactional.payloadType();
                }

                @Override
                public void handle(JobContext context, P payload, Connection transaction) throws Exception {
                    transactional.handle(context, payload, transaction);
                }

                @Override
                public RetryBackoff retryBackoff() {
                    return none;
                }
            };
        }
        return JobType.of(handler.type(), handler.payloadType())
                .retryBackoff(none)
                .handler(handler::handle);
    }
}
