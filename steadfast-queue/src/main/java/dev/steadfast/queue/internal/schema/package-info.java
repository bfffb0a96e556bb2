/**
 * How the queue's schema migrations are run again after a cut.
 *
 * <p><b>Internal: not API.</b> Nothing here is covered by compatibility promises; it may change in any release.
 */
package dev.steadfast.queue.internal.schema;
