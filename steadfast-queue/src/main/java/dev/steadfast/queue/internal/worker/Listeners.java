package dev.steadfast.queue.internal.worker;

import dev.steadfast.queue.events.WorkerEvent;
import dev.steadfast.queue.events.WorkerListener;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fans events out to listeners; a failing listener never disturbs the worker or the other listeners. */
public final class Listeners implements WorkerListener {
    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private final List<WorkerListener> listeners;

    public Listeners(List<WorkerListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void onEvent(WorkerEvent event) {
        for (WorkerListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn(
                        "worker listener {} failed on {}: {}",
                        listener,
                        event.getClass().getSimpleName(),
                        e.toString());
            }
        }
    }
}
