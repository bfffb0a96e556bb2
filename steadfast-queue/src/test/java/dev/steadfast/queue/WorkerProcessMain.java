package dev.steadfast.queue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steadfast.jdbc.ResilientDatabase;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;

/**
 * A worker in a JVM of its own, for the crash and chaos tests: args are URL, user, password, queue,
 * lease seconds, concurrency, longest idle poll in ms (from 1,000 on also the shortest, else from 20 ms). Handlers: {@code ledger} (transactional append to table {@code ledger})
 * {@code slow} (records its start in {@code slow_runs}, then sleeps {@code ms}) and {@code noop} (does
 * nothing: its success goes through the worker's batched success writes). Runs until killed.
 */
public final class WorkerProcessMain {
    private WorkerProcessMain() {}

    public static void main(String[] args) throws Exception {
        ResilientDatabase db = ResilientDatabase.builder()
                .jdbcUrl(args[0])
                .username(args[1])
                .password(args[2])
                .build();
        JobQueue queue = JobQueue.create(db);
        long maxPoll = Long.parseLong(args[6]);
        Worker worker = Worker.builder(queue)
                .queues(List.of(args[3]))
                .lease(Duration.ofSeconds(Long.parseLong(args[4])))
                .concurrency(Integer.parseInt(args[5]))
                .pollInterval(
                        Duration.ofMillis(maxPoll >= 1000 ? maxPoll : Math.min(20, maxPoll)),
                        Duration.ofMillis(maxPoll))
                .retryBackoff(RetryBackoff.fixed(Duration.ofMillis(100)))
                .handler(new Handlers.LedgerAppend("ledger"))
                .handler(new Slow(db))
                .handler(JobHandler.of("noop", JsonNode.class, (context, payload) -> {}))
                .shutdownGrace(Duration.ofSeconds(20))
                .build();
        worker.stopOnShutdown().start();
        System.out.println("worker started " + ProcessHandle.current().pid());
        Thread.currentThread().join();
    }

    /** Records that it started, then takes its time. */
    static final class Slow implements JobHandler<JsonNode> {
        private final ResilientDatabase db;

        Slow(ResilientDatabase db) {
            this.db = db;
        }

        @Override
        public String type() {
            return "slow";
        }

        @Override
        public Class<JsonNode> payloadType() {
            return JsonNode.class;
        }

        @Override
        public void handle(JobContext context, JsonNode payload) throws Exception {
            db.read(c -> {
                try (PreparedStatement s =
                        c.prepareStatement("INSERT INTO slow_runs (job_id, attempt, pid) VALUES (?, ?, ?)")) {
                    s.setLong(1, context.jobId());
                    s.setInt(2, context.attempt());
                    s.setLong(3, ProcessHandle.current().pid());
                    return s.executeUpdate();
                }
            });
            Thread.sleep(payload.path("ms").asLong(1000));
        }
    }
}
