package dev.steadfast.queue.internal.worker;

import dev.steadfast.jdbc.threads.DaemonThreads;
import dev.steadfast.queue.internal.store.ClaimedJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands a worker's claimed jobs to its job threads and keeps account of the jobs it holds (running, or waiting for a
 * thread) and of the attempts it finished. Claimed jobs may wait briefly for a thread: claiming ahead keeps threads
 * busy and claims batched; their leases are renewed like those of running jobs. At shutdown it gives back the jobs
 * no thread started, lets the running ones finish within the grace, and releases the rest.
 */
public final class JobDispatcher {
    private final JobRunner runner;
    private final ShutdownRelease release;
    private final Runnable wake;
    private final Semaphore slots;
    private final Map<Long, ClaimedJob> held = new ConcurrentHashMap<>();
    private final AtomicLong processed = new AtomicLong();
    private final ThreadPoolExecutor executor;

    /**
     * @param wake called each time a job ends, so the poller claims for the freed thread
     */
    public JobDispatcher(int concurrency, int batchSize, JobRunner runner, ShutdownRelease release, Runnable wake) {
        this.runner = runner;
        this.release = release;
        this.wake = wake;
        this.slots = new Semaphore(concurrency + batchSize);
        this.executor = new ThreadPoolExecutor(
                concurrency,
                concurrency,
                0,
                TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(),
                DaemonThreads.numbered("steadfast-job"));
    }

    /** Claim slots free: threads plus the run-ahead batch, less the jobs held. */
    public int freeSlots() {
        return slots.availablePermits();
    }

    /** How many jobs are held. */
    public int held() {
        return held.size();
    }

    /** The jobs held, live (for the lease renewals). */
    public Collection<ClaimedJob> heldJobs() {
        return held.values();
    }

    /** The ids of the jobs held, a copy. */
    public List<Long> heldIds() {
        return List.copyOf(held.keySet());
    }

    /** Attempts finished (any outcome, released ones too). */
    public long processed() {
        return processed.get();
    }

    public void dispatch(ClaimedJob job) {
        slots.acquireUninterruptibly();
        held.put(job.id(), job);
        executor.execute(new JobTask(job));
    }

    /**
     * Gives the jobs no thread started back to their queue, waits up to {@code grace} for the running ones, then
     * releases those still running and interrupts their threads.
     */
    public void finish(Duration grace) throws InterruptedException {
        releaseNotStarted();
        executor.shutdown();
        if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            List<ClaimedJob> unfinished = new ArrayList<>(held.values());
            release.pastGrace(unfinished, grace.toSeconds());
            unfinished.forEach(job -> held.remove(job.id()));
            executor.shutdownNow();
        }
    }

    /** Claimed jobs that no thread has started yet go straight back to the queue at shutdown. */
    private void releaseNotStarted() {
        List<Runnable> waiting = new ArrayList<>();
        executor.getQueue().drainTo(waiting);
        List<ClaimedJob> jobs = new ArrayList<>();
        for (Runnable task : waiting) {
            ClaimedJob job = ((JobTask) task).job;
            jobs.add(job);
            held.remove(job.id());
            slots.release();
        }
        if (!jobs.isEmpty()) {
            release.notStarted(jobs);
        }
    }

    /** A claimed job waiting for, or running on, a job thread. */
    private final class JobTask implements Runnable {
        private final ClaimedJob job;

        JobTask(ClaimedJob job) {
            this.job = job;
        }

        @Override
        public void run() {
            try {
                runner.run(job);
            } finally {
                // counted before it stops being held, so the claim budget (limit - processed - held) never misses it
                processed.incrementAndGet();
                held.remove(job.id());
                slots.release();
                wake.run();
            }
        }
    }
}
