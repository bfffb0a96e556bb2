/**
 * Running units of work: borrowing, replaying on a fresh connection, fencing the old session, resolving interrupted commits.
 *
 * <p><b>Internal: not API.</b> Nothing here is covered by compatibility promises; it may change in any release.
 */
package dev.steadfast.jdbc.internal.unit;
