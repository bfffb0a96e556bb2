package dev.steadfast.cli;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a command opened, closed in reverse order exactly once: when the command returns, or from the
 * single shutdown hook when the process is told to stop (SIGTERM, SIGINT). One ordered hook instead of
 * one per resource, because JVM shutdown hooks run concurrently: the worker must finish its jobs
 * before the database pool closes, and the pool before the embedded server stops.
 */
public final class Lifecycle implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final Thread hook = new Thread(this::onSignal, "steadfast-shutdown");
    private boolean closed;
    private volatile IntSupplier exitCodeOnSignal;

    public Lifecycle() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Registers a resource; returns it. */
    public synchronized <T extends AutoCloseable> T add(T resource) {
        if (closed) {
            throw new IllegalStateException("shutting down");
        }
        resources.push(resource);
        return resource;
    }

    /**
     * Makes a stop by signal end the process with this code once everything is closed, instead of the
     * JVM's 128+signal: a daemon stopped gracefully by its supervisor (SIGTERM) exits 0.
     */
    public void exitCodeOnSignal(IntSupplier code) {
        this.exitCodeOnSignal = code;
    }

    private void onSignal() {
        synchronized (this) {
            if (!closed) {
                LOG.info("stop requested (SIGTERM or SIGINT): finishing what runs, then closing");
            }
        }
        closeAll();
        IntSupplier code = exitCodeOnSignal;
        if (code != null) {
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(code.getAsInt());
        }
    }

    @Override
    public void close() {
        closeAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // called from within shutdown: the hook is running or ran
        }
    }

    private synchronized void closeAll() {
        closed = true;
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", resource, e.toString());
            }
        }
    }
}
