package dev.steadfast.web.internal;

/**
 * A request the dashboard cannot take as it is (a malformed form or query string, a body over its limit): the
 * {@link Router} answers it with {@link #status()} (400, 413) and the reason, never a 5xx. Thrown by the requests of
 * every server the dashboard runs in, so the router needs no server's own exception type.
 */
public final class HttpStatusException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public HttpStatusException(int status, String reason) {
        super(reason);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public String reason() {
        return getMessage();
    }
}
