/**
 * The threads Steadfast starts, created one way for every module.
 *
 * <p><b>Internal: not API.</b> Nothing here is covered by compatibility promises; it may change in any release.
 */
package dev.steadfast.jdbc.internal.threads;
