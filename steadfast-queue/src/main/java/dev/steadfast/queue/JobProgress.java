package dev.steadfast.queue;

import java.time.Instant;

/**
 * How far a job said it got ({@link JobContext#progress}): the latest report, written with the worker's heartbeat and at
 * the attempt's end, so it can lag by up to a third of the lease.
 *
 * @param fraction  0 to 1
 * @param message   a short message, or null
 * @param updatedAt when it was written
 */
public record JobProgress(double fraction, String message, Instant updatedAt) {}
