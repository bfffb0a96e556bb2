package dev.steadfast.queue.events;

/**
 * How a job's error is written wherever it is shown or stored ({@code last_error}, lists, events,
 * notifications): the exception class, and the message after a colon when there is one.
 */
public final class ErrorSummary {
    private ErrorSummary() {}

    public static String of(String errorClass, String message) {
        return errorClass + (message == null ? "" : ": " + message);
    }
}
