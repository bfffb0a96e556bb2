/**
 * The job queue: {@link dev.steadfast.queue.JobQueue} (enqueue, stats, job status, failed jobs),
 * {@link dev.steadfast.queue.JobRequest}, the {@link dev.steadfast.queue.Worker} and its builder, handlers
 * ({@link dev.steadfast.queue.JobHandler}, {@link dev.steadfast.queue.TransactionalJobHandler},
 * {@link dev.steadfast.queue.JobContext}), and the read-only views dashboards use
 * ({@link dev.steadfast.queue.JobBrowser}, {@link dev.steadfast.queue.JobView}, {@link dev.steadfast.queue.QueueStats}).
 * This package, {@code events} and {@code metrics} are the API; {@code dev.steadfast.queue.internal} is not.
 */
package dev.steadfast.queue;
