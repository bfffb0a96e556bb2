package dev.steadfast.queue;

import dev.steadfast.jdbc.ConnectionHealth;
import java.time.Instant;
import java.util.List;

/**
 * A worker as its heartbeats describe it, or as it was when it stopped.
 *
 * @param alive       whether its last heartbeat is recent (false once it stopped)
 * @param currentJobs jobs it holds leases on now
 * @param health      what its database connections lived through, as of its last heartbeat (zeros once it stopped)
 * @param stuckJobs   jobs whose handler ignored the interrupt after their timeout, still holding a thread
 * @param jobs        jobs it ran (counted by job, not by attempt), as of its last report
 * @param failed      of those, jobs that failed for good
 * @param stoppedAt   when it stopped cleanly; null while it runs (or if it died without stopping)
 */
public record WorkerView(
        String id,
        String host,
        String queues,
        Instant startedAt,
        Instant lastHeartbeat,
        boolean alive,
        List<Long> currentJobs,
        ConnectionHealth health,
        int stuckJobs,
        long jobs,
        long failed,
        Instant stoppedAt) {

    /** A worker without counts of its jobs. */
    public WorkerView(
            String id,
            String host,
            String queues,
            Instant startedAt,
            Instant lastHeartbeat,
            boolean alive,
            List<Long> currentJobs,
            ConnectionHealth health,
            int stuckJobs) {
        this(id, host, queues, startedAt, lastHeartbeat, alive, currentJobs, health, stuckJobs, 0, 0, null);
    }

    /** A worker without stuck jobs. */
    public WorkerView(
            String id,
            String host,
            String queues,
            Instant startedAt,
            Instant lastHeartbeat,
            boolean alive,
            List<Long> currentJobs,
            ConnectionHealth health) {
        this(id, host, queues, startedAt, lastHeartbeat, alive, currentJobs, health, 0);
    }

    /** Whether it stopped cleanly (it is kept in the list a day after). */
    public boolean stopped() {
        return stoppedAt != null;
    }
}
