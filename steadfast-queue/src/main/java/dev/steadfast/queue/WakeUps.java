package dev.steadfast.queue;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/** Lets workers in this JVM pick up a job at once when the same JVM enqueues it, instead of at the next poll. */
final class WakeUps {
    private final Set<Runnable> listeners = new CopyOnWriteArraySet<>();

    void register(Runnable listener) {
        listeners.add(listener);
    }

    void unregister(Runnable listener) {
        listeners.remove(listener);
    }

    void fire() {
        listeners.forEach(Runnable::run);
    }
}
