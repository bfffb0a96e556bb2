package dev.steadfast.cli.web;

import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.util.Fields;

import java.util.List;

/**
 * The parts of an HTTP request the dashboard uses: method, path, query parameters, the fields of a
 * url-encoded form body (bounded in count and size), headers and cookies. Secrets (the login token, the
 * CSRF token) are read from the form only, never from the query string, which proxies log.
 */
final class Request {
    static final int MAX_FORM_BYTES = 64 * 1024;
    static final int MAX_FORM_FIELDS = 1000;

    final String method;
    final String path;
    private final org.eclipse.jetty.server.Request jetty;
    private final Fields query;
    private Fields form;

    /**
     * @param basePath the prefix the dashboard is served under (or empty): {@link #path} is the rest, null for a
     *                 path outside it; the probes answer at the root as well (a kubelet probes the pod directly)
     */
    Request(org.eclipse.jetty.server.Request jetty, String basePath) {
        this.jetty = jetty;
        this.method = jetty.getMethod();
        this.path = within(jetty.getHttpURI().getDecodedPath(), basePath);
        this.query = org.eclipse.jetty.server.Request.extractQueryParameters(jetty);
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
    String param(String name) {
        return query.getValue(name);
    }

    boolean hasQueryParam(String name) {
        return query.get(name) != null;
    }

    /** A field of the POSTed form. */
    String field(String name) {
        return form().getValue(name);
    }

    List<String> fields(String name) {
        return form().getValues(name);
    }

    private Fields form() {
        if (form == null) {
            form = "POST".equals(method) ? FormFields.getFields(jetty, MAX_FORM_FIELDS, MAX_FORM_BYTES) : Fields.EMPTY;
        }
        return form;
    }

    /** A non-negative id parameter, or null when absent or not a number. */
    Long idParam(String name) {
        return Ids.parse(param(name)).orElse(null);
    }

    String header(String name) {
        return jetty.getHeaders().get(name);
    }

    String cookie(String name) {
        for (HttpCookie cookie : org.eclipse.jetty.server.Request.getCookies(jetty)) {
            if (cookie.getName().equals(name)) {
                return cookie.getValue();
            }
        }
        return null;
    }

    /** Served over TLS, or by a reverse proxy that says the client used https. */
    boolean secure() {
        return jetty.isSecure() || "https".equalsIgnoreCase(header("X-Forwarded-Proto"));
    }

    String remoteAddress() {
        return org.eclipse.jetty.server.Request.getRemoteAddr(jetty);
    }
}
