/**
 * Reading the server's timeouts and tuning the pool below them.
 *
 * <p><b>Internal: not API.</b> Nothing here is covered by compatibility promises; it may change in any release.
 */
package dev.steadfast.jdbc.internal.discovery;
