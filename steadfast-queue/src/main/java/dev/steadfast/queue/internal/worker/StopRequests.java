package dev.steadfast.queue.internal.worker;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Running jobs to be stopped, and why: an operator cancelled them, or their attempt ran out of time. Each is flagged
 * and the thread running it interrupted, only while that job runs on it, never the next job the thread takes. A timed
 * out job still running after its grace is stuck: its thread ignores the interrupt, and its slot stays taken.
 */
public final class StopRequests {
    private final Map<Long, Thread> threads = new HashMap<>();
    private final Set<Long> cancelled = new HashSet<>();
    private final Set<Long> timedOut = new HashSet<>();
    private final Set<Long> stuck = new HashSet<>();
    private final Set<Long> released = new HashSet<>();

    /** The current thread starts running this job (interrupted at once if it was cancelled while it waited). */
    public synchronized void started(long jobId) {
        threads.put(jobId, Thread.currentThread());
        if (cancelled.contains(jobId)) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The current thread is done with this job: what was asked of it is forgotten and an interrupt meant for it
     * cleared. Returns whether it had been reported stuck.
     */
    public synchronized boolean finished(long jobId) {
        if (threads.remove(jobId) != null) {
            Thread.interrupted();
        }
        cancelled.remove(jobId);
        timedOut.remove(jobId);
        released.remove(jobId);
        return stuck.remove(jobId);
    }

    /** Asks these jobs to stop because they were cancelled. */
    public synchronized void cancel(Collection<Long> jobIds) {
        for (long id : jobIds) {
            if (cancelled.add(id)) {
                interrupt(id);
            }
        }
    }

    /** Stops a job whose attempt ran out of time; false when it is not running any more. */
    public synchronized boolean timeOut(long jobId) {
        if (!threads.containsKey(jobId)) {
            return false;
        }
        timedOut.add(jobId);
        interrupt(jobId);
        return true;
    }

    /** Marks a timed-out job that still runs as stuck; false when it ended meanwhile (or did not time out). */
    public synchronized boolean markStuck(long jobId) {
        return threads.containsKey(jobId) && timedOut.contains(jobId) && stuck.add(jobId);
    }

    /**
     * Marks a running job as being released at shutdown (its lease given back, the job pending again; the worker
     * interrupts it next): whatever its handler does then is no outcome of the job's, neither recorded nor logged as one.
     */
    public synchronized void releasing(long jobId) {
        released.add(jobId);
    }

    public synchronized boolean isReleased(long jobId) {
        return released.contains(jobId);
    }

    public synchronized boolean isCancelled(long jobId) {
        return cancelled.contains(jobId);
    }

    public synchronized boolean isTimedOut(long jobId) {
        return timedOut.contains(jobId);
    }

    /** How many jobs are stuck now. */
    public synchronized int stuck() {
        return stuck.size();
    }

    /** The name of the thread running a job, for reports; null when none does. */
    public synchronized String threadName(long jobId) {
        Thread thread = threads.get(jobId);
        return thread == null ? null : thread.getName();
    }

    private void interrupt(long jobId) {
        Thread thread = threads.get(jobId);
        if (thread != null) {
            thread.interrupt();
        }
    }
}
