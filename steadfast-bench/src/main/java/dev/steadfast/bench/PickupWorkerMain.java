package dev.steadfast.bench;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.JobHandler;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.Worker;
import java.time.Duration;
import java.util.List;

/**
 * The worker of {@link PickupBenchmark}, in a JVM of its own as a worker daemon runs: default settings but for
 * the ones the arguments name. Args: URL, user, password, queue, listen for wake-ups (true/false), longest idle
 * poll in ms (0: the default). Runs until terminated.
 */
public final class PickupWorkerMain {
    private PickupWorkerMain() {}

    public static void main(String[] args) throws Exception {
        ResilientDatabase db = ResilientDatabase.builder()
                .jdbcUrl(args[0])
                .username(args[1])
                .password(args[2])
                .build();
        Worker.Builder builder = Worker.builder(JobQueue.existing(db))
                .queues(List.of(args[3]))
                .listenForWakeUps(Boolean.parseBoolean(args[4]))
                .handler(JobHandler.of("noop", String.class, (context, payload) -> {}));
        long maxPoll = Long.parseLong(args[5]);
        if (maxPoll > 0) {
            builder.pollInterval(Duration.ofMillis(50), Duration.ofMillis(maxPoll));
        }
        Worker worker = builder.build();
        worker.stopOnShutdown().start();
        System.out.println("worker started");
        Thread.currentThread().join();
    }
}
