package dev.steadfast.queue.internal.worker;

import dev.steadfast.jdbc.ResilientDatabase;
import org.slf4j.MDC;

/**
 * Names the work running on this thread in the MDC ({@link ResilientDatabase#OPERATION}), so that the lines
 * steadfast-jdbc logs about it (a heal after a lost connection) say which job or chore it was. Closing restores
 * the name before, so a named step inside a named job leaves the job's name in place.
 */
public final class Operation implements AutoCloseable {
    private final String previous;

    private Operation(String name) {
        this.previous = MDC.get(ResilientDatabase.OPERATION);
        MDC.put(ResilientDatabase.OPERATION, name);
    }

    public static Operation named(String name) {
        return new Operation(name);
    }

    @Override
    public void close() {
        if (previous == null) {
            MDC.remove(ResilientDatabase.OPERATION);
        } else {
            MDC.put(ResilientDatabase.OPERATION, previous);
        }
    }
}
