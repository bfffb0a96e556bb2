package dev.steadfast.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The parts of an HTTP request the dashboard uses: method, path, query parameters, the fields of a
 * url-encoded form body (bounded in count and size), headers and cookies. Secrets (the login token, the
 * CSRF token) are read from the form only, never from the query string, which proxies log. Served by the
 * command's own Jetty (its {@code JettyRequest}) or mounted in an application's servlet container
 * ({@link ServletRequest}).
 */
public abstract class Request {
    public static final int MAX_FORM_BYTES = 64 * 1024;
    public static final int MAX_FORM_FIELDS = 1000;
    /** What any body may take to arrive besides its length at {@link #BODY_MIN_RATE} (the server reading it enforces this). */
    public static final Duration BODY_GRACE = Duration.ofSeconds(10);
    /** Bytes per second a body must arrive at, on average, after {@link #BODY_GRACE}. */
    public static final long BODY_MIN_RATE = 256 * 1024;

    final String method;
    final String path;
    /** The prefix the dashboard is served under, or empty. */
    final String basePath;

    /**
     * @param rawPath  the decoded path of the request
     * @param basePath the prefix the dashboard is served under (or empty): {@link #path} is the rest, null for a
     *                 path outside it; the probes answer at the root as well (a kubelet probes the pod directly)
     */
    protected Request(String method, String rawPath, String basePath) {
        this.method = method;
        this.basePath = basePath;
        this.path = within(rawPath, basePath);
    }

    /** The request's method ({@code GET}, {@code POST}...). */
    public final String method() {
        return method;
    }

    private static String within(String raw, String basePath) {
        if (basePath.isEmpty() || raw == null) {
            return raw;
        }
        if (raw.equals(basePath)) {
            return "/";
        }
        if (raw.startsWith(basePath + "/")) {
            return raw.substring(basePath.length());
        }
        return raw.equals("/healthz") || raw.equals("/readyz") ? raw : null;
    }

    /** A query-string parameter. */
    protected abstract String param(String name);

    protected abstract boolean hasQueryParam(String name);

    /** The names of the query string's parameters. */
    protected abstract Set<String> queryParamNames();

    /** A field of the POSTed form. */
    protected abstract String field(String name);

    protected abstract List<String> fields(String name);

    /** A non-negative id parameter, or null when absent or not a number. */
    Long idParam(String name) {
        return Ids.parse(param(name)).orElse(null);
    }

    protected abstract String header(String name);

    /**
     * The request's body, at most {@code limit} bytes (a larger one is answered 413 without reading it all).
     */
    final byte[] body(int limit) throws IOException {
        if (contentLength() > limit) {
            throw tooLarge(limit);
        }
        try (InputStream in = bodyStream()) {
            byte[] body = in.readNBytes(limit + 1);
            if (body.length > limit) {
                throw tooLarge(limit);
            }
            return body;
        }
    }

    /** The declared length of the body; -1 when not declared (chunked). */
    protected abstract long contentLength();

    protected abstract InputStream bodyStream() throws IOException;

    private static RuntimeException tooLarge(int limit) {
        return new HttpStatusException(413, "request body larger than " + limit + " bytes");
    }

    protected abstract String cookie(String name);

    /** The CSRF token kept in the servlet container's session for this client, when it has a session. */
    protected String containerCsrf() {
        return null;
    }

    /** Keeps a new CSRF token in the container's session when the client has one; false when there is none. */
    protected boolean storeContainerCsrf(String token) {
        return false;
    }

    /** Served over TLS, or by a reverse proxy that says the client used https. */
    boolean secure() {
        return transportSecure() || "https".equalsIgnoreCase(header("X-Forwarded-Proto"));
    }

    protected abstract boolean transportSecure();

    protected abstract String remoteAddress();
}
