package dev.steadfast.queue.internal.worker;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * What ends a worker's poller's waits: a wake-up (a job enqueued in this JVM or rung at the doorbell, a thread freed,
 * a stop). A wake-up that comes while the poller is busy is kept, so the next wait ends at once instead of missing it.
 */
public final class WakeSignal {
    private final Object lock = new Object();
    private int pending; // guarded by lock

    /** Ends the current wait, or the next one. */
    public void wake() {
        synchronized (lock) {
            pending++;
            lock.notifyAll();
        }
    }

    /**
     * Waits up to {@code duration}; true when a wake-up ended (or preceded) the wait.
     *
     * @throws InterruptedException the poller was interrupted (the worker then stops)
     */
    public boolean await(Duration duration) throws InterruptedException {
        synchronized (lock) {
            if (take()) {
                return true;
            }
            lock.wait(Math.max(1, duration.toMillis()));
            return take();
        }
    }

    /**
     * Waits up to {@code duration} for a thread to free, unless a wake-up came already or the worker no longer runs. A
     * wake-up during this wait is left for the next wait, which then ends at once.
     *
     * @throws InterruptedException the poller was interrupted (the worker then stops)
     */
    public void awaitSlot(Duration duration, BooleanSupplier running) throws InterruptedException {
        synchronized (lock) {
            if (running.getAsBoolean() && !take()) {
                lock.wait(duration.toMillis());
            }
        }
    }

    private boolean take() {
        boolean any = pending > 0;
        pending = 0;
        return any;
    }
}
