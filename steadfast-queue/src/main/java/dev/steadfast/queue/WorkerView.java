package dev.steadfast.queue;

import dev.steadfast.jdbc.ConnectionHealth;

import java.time.Instant;
import java.util.List;

/**
 * A worker as its heartbeats describe it.
 *
 * @param alive       whether its last heartbeat is recent
 * @param currentJobs jobs it holds leases on now
 * @param health      what its database connections lived through, as of its last heartbeat
 * @param stuckJobs   jobs whose handler ignored the interrupt after their timeout, still holding a thread
 */
public record WorkerView(String id, String host, String queues, Instant startedAt, Instant lastHeartbeat,
                         boolean alive, List<Long> currentJobs, ConnectionHealth health, int stuckJobs) {

    /** A worker without stuck jobs. */
    public WorkerView(String id, String host, String queues, Instant startedAt, Instant lastHeartbeat, boolean alive,
                      List<Long> currentJobs, ConnectionHealth health) {
        this(id, host, queues, startedAt, lastHeartbeat, alive, currentJobs, health, 0);
    }
}
