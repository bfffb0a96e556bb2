/**
 * Waiting before trying again, written once for every module: {@link dev.steadfast.jdbc.retry.Backoff} (the pause
 * between attempts, exponential with jitter) and {@link dev.steadfast.jdbc.retry.StartupRetry} (a step of a start,
 * such as a schema migration, run again while the database is lost, as a unit of work is).
 *
 * <p><b>API</b>: the queue, the command and applications use these; they follow the compatibility promises of
 * {@code dev.steadfast.jdbc}.
 */
package dev.steadfast.jdbc.retry;
