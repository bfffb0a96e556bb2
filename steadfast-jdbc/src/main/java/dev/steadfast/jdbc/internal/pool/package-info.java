/**
 * Connections as the pool sees them: the driver, the server session behind each connection, the server's incarnation.
 *
 * <p><b>Internal: not API.</b> Nothing here is covered by compatibility promises; it may change in any release.
 */
package dev.steadfast.jdbc.internal.pool;
