/**
 * Wake-ups across processes on one host: an idle worker listens on a loopback datagram port it registers with its
 * heartbeat; a producer on the same host sends the port's token after it commits a job, so the worker claims at
 * once instead of at its next poll. Best effort by design: a lost datagram only means the worker's next poll finds
 * the job.
 *
 * <p><b>Internal: not API.</b> Nothing here is covered by compatibility promises; it may change in any release.
 */
package dev.steadfast.queue.internal.wakeup;
