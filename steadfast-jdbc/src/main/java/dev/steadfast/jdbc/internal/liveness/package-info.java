/**
 * The local liveness check: socket factories of both drivers and a non-blocking peek at a pooled connection's socket.
 *
 * <p><b>Internal: not API.</b> Nothing here is covered by compatibility promises; it may change in any release.
 */
package dev.steadfast.jdbc.internal.liveness;
