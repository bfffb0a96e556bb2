/**
 * The threads Steadfast starts, created one way for every module: {@link dev.steadfast.jdbc.threads.DaemonThreads}
 * (named, daemon, uncaught errors logged).
 *
 * <p><b>API</b>: the queue and the command use it; it follows the compatibility promises of {@code dev.steadfast.jdbc}.
 */
package dev.steadfast.jdbc.threads;
