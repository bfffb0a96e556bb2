/**
 * The start of a {@code ResilientDatabase}, apart from its configuration (as HikariCP's pool apart from its
 * {@code HikariConfig}): {@link dev.steadfast.jdbc.internal.startup.DatabaseSettings} is what the builder collected,
 * {@link dev.steadfast.jdbc.internal.startup.DatabaseStartup} reads the server's settings, tunes and starts the pool
 * (waiting for the server as asked) and wires the healing layer; {@link dev.steadfast.jdbc.internal.startup.StartedDatabase}
 * is what it made.
 *
 * <p><b>Internal: not API.</b> Nothing here is covered by compatibility promises; it may change in any release.
 */
package dev.steadfast.jdbc.internal.startup;
