/**
 * The healing layer's counters (typed state) and their Micrometer binding.
 *
 * <p><b>Internal: not API.</b> Nothing here is covered by compatibility promises; it may change in any release.
 */
package dev.steadfast.jdbc.internal.metrics;
