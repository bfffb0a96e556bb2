/**
 * The parts of a worker: running a job, writing its outcome, following the database's health, dispatching events.
 *
 * <p><b>Internal: not API.</b> Nothing here is covered by compatibility promises; it may change in any release.
 */
package dev.steadfast.queue.internal.worker;
