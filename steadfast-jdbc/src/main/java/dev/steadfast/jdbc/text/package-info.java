/**
 * Text for people: {@link dev.steadfast.jdbc.text.HumanDuration} writes a duration as a message should
 * ({@code 1.5 s}, {@code 2 min 30 s}), for every module's messages.
 *
 * <p><b>API</b>: it follows the compatibility promises of {@code dev.steadfast.jdbc}.
 */
package dev.steadfast.jdbc.text;
