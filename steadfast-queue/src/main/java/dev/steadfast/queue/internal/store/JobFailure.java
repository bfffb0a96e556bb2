package dev.steadfast.queue.internal.store;

import dev.steadfast.queue.events.ErrorSummary;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Why an attempt failed, as stored: class, message, stack trace.
 *
 * @param errorClass the exception class
 * @param message    its message
 * @param stackTrace the full stack trace
 */
public record JobFailure(String errorClass, String message, String stackTrace) {
    private static final int MAX_STACK = 60_000;

    public static JobFailure of(Throwable error) {
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        String text = trace.toString();
        return new JobFailure(
                error.getClass().getName(),
                error.getMessage(),
                text.length() > MAX_STACK ? text.substring(0, MAX_STACK) : text);
    }

    /** A failure the worker decided on itself (unknown type, malformed payload, lease expired). */
    public static JobFailure of(String errorClass, String message) {
        return new JobFailure(errorClass, message, null);
    }

    /** One line for logs and {@code last_error}. */
    public String summary() {
        return ErrorSummary.of(errorClass, message);
    }
}
