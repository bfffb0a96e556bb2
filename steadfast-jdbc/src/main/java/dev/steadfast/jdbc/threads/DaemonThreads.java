package dev.steadfast.jdbc.threads;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads Steadfast starts: named (so a thread dump says what each does), daemon (none of them may keep
 * a JVM alive; the owners stop them in order), and logging what escapes them instead of dying silently.
 */
public final class DaemonThreads implements ThreadFactory {
    private static final Logger LOG = LoggerFactory.getLogger(DaemonThreads.class);

    private final String name;
    private final boolean numbered;
    private final AtomicInteger count = new AtomicInteger();

    private DaemonThreads(String name, boolean numbered) {
        this.name = name;
        this.numbered = numbered;
    }

    /** Threads all called {@code name} (for a pool of one). */
    public static DaemonThreads named(String name) {
        return new DaemonThreads(name, false);
    }

    /** Threads called {@code prefix-1}, {@code prefix-2}, ... */
    public static DaemonThreads numbered(String prefix) {
        return new DaemonThreads(prefix, true);
    }

    /** One thread running {@code work}, not started. */
    public static Thread thread(String name, Runnable work) {
        return named(name).newThread(work);
    }

    @Override
    public Thread newThread(Runnable work) {
        Thread thread = new Thread(work, numbered ? name + "-" + count.incrementAndGet() : name);
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler((t, e) -> LOG.error("thread {} died: {}", t.getName(), e.toString(), e));
        return thread;
    }
}
