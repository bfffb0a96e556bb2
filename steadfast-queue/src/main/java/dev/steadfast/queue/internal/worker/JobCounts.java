package dev.steadfast.queue.internal.worker;

import dev.steadfast.queue.events.WorkerEvent;
import dev.steadfast.queue.events.WorkerListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What became of the jobs one worker ran, counted by job, not by attempt: a job retried three times here and then
 * successful is one job, succeeded. A job whose last attempt here was retried or released at shutdown counts as such
 * until it ends here. For the worker's stop line.
 */
public final class JobCounts implements WorkerListener {
    /** Open jobs remembered by id; past this many (a long-lived worker whose retries others finish) they are only counted. */
    static final int OPEN_REMEMBERED = 10_000;

    private enum Open {
        RETRY,
        RELEASED
    }

    private final Map<Long, Open> open = new HashMap<>();
    private long succeeded;
    private long failed;
    private long cancelled;
    private long retryForgotten;
    private long releasedForgotten;

    @Override
    public synchronized void onEvent(WorkerEvent event) {
        if (!(event instanceof WorkerEvent.JobFinished f)) {
            return;
        }
        switch (f.result()) {
            case SUCCEEDED -> succeeded += ended(f.jobId());
            case FAILED -> failed += ended(f.jobId());
            case CANCELLED -> cancelled += ended(f.jobId());
            case RETRIED -> remember(f.jobId(), Open.RETRY);
        }
    }

    /** Jobs given back to their queue at shutdown. */
    public synchronized void released(List<Long> jobIds) {
        jobIds.forEach(id -> remember(id, Open.RELEASED));
    }

    /** How many distinct jobs. */
    public synchronized long jobs() {
        return succeeded + failed + cancelled + open.size() + retryForgotten + releasedForgotten;
    }

    /** How many of them failed for good. */
    public synchronized long failed() {
        return failed;
    }

    /** {@code 3 jobs (1 succeeded, 1 failed for good, 1 released back to the queue)}, or {@code 0 jobs}. */
    public synchronized String summary() {
        long retry = retryForgotten
                + open.values().stream().filter(o -> o == Open.RETRY).count();
        long released = releasedForgotten
                + open.values().stream().filter(o -> o == Open.RELEASED).count();
        List<String> parts = new ArrayList<>();
        add(parts, succeeded, "succeeded");
        add(parts, failed, "failed for good");
        add(parts, cancelled, "cancelled");
        add(parts, retry, "to be retried");
        add(parts, released, "released back to the queue");
        long jobs = jobs();
        return jobs + (jobs == 1 ? " job" : " jobs") + (parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")");
    }

    private long ended(long jobId) {
        open.remove(jobId);
        return 1;
    }

    private void remember(long jobId, Open what) {
        if (open.size() >= OPEN_REMEMBERED && !open.containsKey(jobId)) {
            for (Open o : open.values()) {
                if (o == Open.RETRY) {
                    retryForgotten++;
                } else {
                    releasedForgotten++;
                }
            }
            open.clear();
        }
        open.put(jobId, what);
    }

    private static void add(List<String> parts, long n, String what) {
        if (n > 0) {
            parts.add(n + " " + what);
        }
    }
}
