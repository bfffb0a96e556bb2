/**
 * Text that is safe to show: {@link dev.steadfast.queue.text.Redactor} masks secrets (one per process, fed by every
 * module that learns a secret: the connection password, the dashboard's token, a webhook URL) in logs, errors,
 * notifications and pages; {@link dev.steadfast.queue.text.ControlCharacters} makes control characters of stored or
 * received text visible instead of letting them act on a terminal or a log.
 *
 * <p><b>API</b>: the command, the web layer and the starter use it; covered by the compatibility promises of
 * {@code dev.steadfast.queue}.
 */
package dev.steadfast.queue.text;
