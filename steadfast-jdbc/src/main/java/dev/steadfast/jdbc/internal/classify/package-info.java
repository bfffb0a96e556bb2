/**
 * Classification of SQL failures of both drivers: connection lost before, during or after a statement, or not a connection problem.
 *
 * <p><b>Internal: not API.</b> Nothing here is covered by compatibility promises; it may change in any release.
 */
package dev.steadfast.jdbc.internal.classify;
