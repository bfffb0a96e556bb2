package dev.steadfast.queue.events;

/**
 * Receives a worker's events, on the worker's own threads: return quickly, and hand slow work (an
 * HTTP call) to a thread of your own. An exception thrown here is logged and otherwise ignored.
 */
@FunctionalInterface
public interface WorkerListener {
    void onEvent(WorkerEvent event);
}
