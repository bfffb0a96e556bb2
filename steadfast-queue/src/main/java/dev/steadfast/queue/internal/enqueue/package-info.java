/**
 * Enqueueing: requests checked and turned into rows, written so that a cut COMMIT is resolved by the rows themselves.
 *
 * <p><b>Internal: not API.</b> Nothing here is covered by compatibility promises; it may change in any release.
 */
package dev.steadfast.queue.internal.enqueue;
