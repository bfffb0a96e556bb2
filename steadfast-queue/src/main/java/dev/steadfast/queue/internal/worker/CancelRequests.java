package dev.steadfast.queue.internal.worker;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The running jobs an operator asked to stop: which ones, and the threads to interrupt. An interrupt reaches a job's
 * thread only while that job runs on it, never the next job the thread takes.
 */
public final class CancelRequests {
    private final Map<Long, Thread> threads = new HashMap<>();
    private final Set<Long> requested = new HashSet<>();

    /** The current thread starts running this job. */
    public synchronized void started(long jobId) {
        threads.put(jobId, Thread.currentThread());
        if (requested.contains(jobId)) {
            Thread.currentThread().interrupt();
        }
    }

    /** The current thread is done with this job; an interrupt meant for it is cleared. */
    public synchronized void finished(long jobId) {
        if (threads.remove(jobId) != null) {
            Thread.interrupted();
        }
        requested.remove(jobId);
    }

    /** Asks these jobs to stop: flags them and interrupts the threads running them. */
    public synchronized void request(Collection<Long> jobIds) {
        for (long id : jobIds) {
            if (requested.add(id)) {
                Thread thread = threads.get(id);
                if (thread != null) {
                    thread.interrupt();
                }
            }
        }
    }

    /** Whether this job was asked to stop. */
    public synchronized boolean isRequested(long jobId) {
        return requested.contains(jobId);
    }
}
