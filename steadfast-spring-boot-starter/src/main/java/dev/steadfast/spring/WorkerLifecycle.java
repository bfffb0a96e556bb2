package dev.steadfast.spring;

import dev.steadfast.queue.Worker;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the worker with the application context and stops it in Spring's shutdown: it claims nothing more, running
 * jobs get the shutdown grace to finish, then are interrupted and released to their queue. It stops before the web
 * server's graceful shutdown (a higher phase stops first), so requests still in flight can enqueue.
 */
final class WorkerLifecycle implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerLifecycle.class);

    private final Worker worker;
    private final Duration grace;
    private volatile boolean running;

    WorkerLifecycle(Worker worker, Duration grace) {
        this.worker = worker;
        this.grace = grace;
    }

    @Override
    public void start() {
        worker.start();
        running = true;
    }

    @Override
    public void stop() {
        worker.stop();
        awaitStopped();
    }

    @Override
    public void stop(Runnable callback) {
        worker.stop();
        Thread waiter = new Thread(
                () -> {
                    try {
                        awaitStopped();
                    } finally {
                        callback.run();
                    }
                },
                "steadfast-worker-shutdown");
        waiter.setDaemon(true);
        waiter.start();
    }

    private void awaitStopped() {
        try {
            // the worker interrupts and releases what is still running at the end of its grace; a little more for that
            if (!worker.awaitTermination(grace.plusSeconds(10))) {
                LOG.warn(
                        "worker {} did not stop within {} of its grace: its running jobs' leases will expire",
                        worker.id(),
                        grace);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            running = false;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return DEFAULT_PHASE; // stopped first, before the web server (DEFAULT_PHASE - 1024) stops taking requests
    }
}
