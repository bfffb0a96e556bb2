package dev.steadfast.queue.internal.worker;

/**
 * A worker's lifecycle, separate from its health: {@code NEW -> RUNNING -> STOPPING -> STOPPED}, or
 * {@code NEW -> STOPPED} for a worker stopped before it started. Transitions are atomic; each says whether
 * it happened, so exactly one caller starts the worker and exactly one runs its shutdown.
 */
public final class WorkerState {
    /** Where a worker is in its life. */
    public enum Phase {
        NEW,
        RUNNING,
        STOPPING,
        STOPPED
    }

    /** What a stop request came to. */
    public enum Stop {
        /** The worker had not started: it is stopped now, with nothing to shut down. */
        NEVER_STARTED,
        /** This call moved it to stopping: the caller runs the shutdown. */
        BEGUN,
        /** Already stopping or stopped: nothing to do. */
        ALREADY
    }

    private volatile Phase phase = Phase.NEW;

    public Phase phase() {
        return phase;
    }

    public boolean running() {
        return phase == Phase.RUNNING;
    }

    /** NEW to RUNNING; false when the worker was started or stopped before. */
    public synchronized boolean start() {
        if (phase != Phase.NEW) {
            return false;
        }
        phase = Phase.RUNNING;
        return true;
    }

    public synchronized Stop stop() {
        switch (phase) {
            case NEW -> {
                phase = Phase.STOPPED;
                return Stop.NEVER_STARTED;
            }
            case RUNNING -> {
                phase = Phase.STOPPING;
                return Stop.BEGUN;
            }
            default -> {
                return Stop.ALREADY;
            }
        }
    }

    /** The shutdown is done. */
    public synchronized void stopped() {
        phase = Phase.STOPPED;
    }
}
