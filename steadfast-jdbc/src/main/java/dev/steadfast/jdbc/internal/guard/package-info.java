/**
 * Refusing statements larger than the server's max_allowed_packet before they are sent.
 *
 * <p><b>Internal: not API.</b> Nothing here is covered by compatibility promises; it may change in any release.
 */
package dev.steadfast.jdbc.internal.guard;
