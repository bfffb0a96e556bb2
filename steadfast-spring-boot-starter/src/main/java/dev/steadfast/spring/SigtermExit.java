package dev.steadfast.spring;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Makes a SIGTERM end the process with status 0: the signal still shuts the application down through the JVM's
 * shutdown hooks (Spring closes the context: the worker finishes or releases its jobs within the grace, the pool
 * closes), but as {@code System.exit(0)} instead of the JVM's 128+15, the status of a process that was killed. Installed
 * by the first lifecycle to start, before the worker can take a job.
 */
final class SigtermExit implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(SigtermExit.class);

    private volatile boolean running;

    @Override
    public void start() {
        install();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MIN_VALUE; // started first, stopped last
    }

    private static void install() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> {
                LOG.info("SIGTERM: shutting down gracefully, then exiting 0");
                System.exit(0);
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) { // -Xrs, or a platform without SIGTERM
            LOG.info("SIGTERM keeps the JVM's own exit status ({})", e.getMessage());
        }
    }
}
