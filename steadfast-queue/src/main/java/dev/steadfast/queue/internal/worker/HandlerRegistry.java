package dev.steadfast.queue.internal.worker;

import dev.steadfast.queue.JobHandler;
import dev.steadfast.queue.NameRule;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The handlers a worker knows, by job type. */
public final class HandlerRegistry {
    private final Map<String, JobHandler<?>> handlers = new TreeMap<>();

    /** Adds a handler; its type must follow {@link NameRule} (no job of another type can be enqueued). */
    public HandlerRegistry register(JobHandler<?> handler) {
        NameRule.type(handler.type());
        JobHandler<?> previous = handlers.putIfAbsent(handler.type(), handler);
        if (previous != null && previous != handler) {
            throw new IllegalArgumentException("two handlers for job type '" + handler.type() + "': "
                    + previous.getClass().getName() + " and "
                    + handler.getClass().getName());
        }
        return this;
    }

    public Optional<JobHandler<?>> find(String type) {
        return Optional.ofNullable(handlers.get(type));
    }

    /** The job types this registry handles, sorted. */
    public List<String> types() {
        return List.copyOf(handlers.keySet());
    }

    public String knownTypes() {
        return String.join(", ", handlers.keySet());
    }

    public boolean isEmpty() {
        return handlers.isEmpty();
    }
}
