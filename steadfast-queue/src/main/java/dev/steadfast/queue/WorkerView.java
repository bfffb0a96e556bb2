package dev.steadfast.queue;

import java.time.Instant;
import java.util.List;

/**
 * A worker as its heartbeats describe it.
 *
 * @param alive       whether its last heartbeat is recent
 * @param currentJobs jobs it holds leases on now
 */
public record WorkerView(String id, String host, String queues, Instant startedAt, Instant lastHeartbeat,
                         boolean alive, List<Long> currentJobs) {
}
