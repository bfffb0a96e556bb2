package dev.steadfast.queue;

/**
 * What {@link JobQueue#submit} did.
 *
 * @param id              the job's id
 * @param matchedExisting true when a live job (pending, scheduled or running) already held the request's unique
 *                        key: {@code id} is that job's, and nothing new was stored
 */
public record Enqueued(long id, boolean matchedExisting) {}
