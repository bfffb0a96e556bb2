/**
 * The queue's Micrometer meters and the bound on their label values.
 *
 * <p><b>Internal: not API.</b> Nothing here is covered by compatibility promises; it may change in any release.
 */
package dev.steadfast.queue.internal.metrics;
