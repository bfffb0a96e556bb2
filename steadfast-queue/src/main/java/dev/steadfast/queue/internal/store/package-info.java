/**
 * Every SQL statement on the sf_ tables.
 *
 * <p><b>Internal: not API.</b> Nothing here is covered by compatibility promises; it may change in any release.
 */
package dev.steadfast.queue.internal.store;
