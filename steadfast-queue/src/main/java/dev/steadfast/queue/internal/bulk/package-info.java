/**
 * Actions on every job a filter matches, in batches of their own transactions.
 *
 * <p><b>Internal: not API.</b> Nothing here is covered by compatibility promises; it may change in any release.
 */
package dev.steadfast.queue.internal.bulk;
