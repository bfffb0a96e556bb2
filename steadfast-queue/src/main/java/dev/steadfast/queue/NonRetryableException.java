package dev.steadfast.queue;

/**
 * Thrown by a handler when trying again cannot help (a malformed request, a refused card): the job fails for
 * good at once, whatever attempts it has left, and goes to the failed jobs.
 */
public class NonRetryableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NonRetryableException(String message) {
        super(message);
    }

    public NonRetryableException(String message, Throwable cause) {
        super(message, cause);
    }
}
