package dev.steadfast.web.internal;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A request to the dashboard mounted in an application's servlet container. Query parameters come from the query
 * string alone; a form's fields are the request's parameters after the query string's (the servlet API lists those
 * first), whoever read the body before us, so a secret sent in the query string is never taken for a form field.
 */
public final class ServletRequest extends Request {
    private static final String CSRF_ATTRIBUTE = "dev.steadfast.dashboard.csrf";
    private final HttpServletRequest servlet;
    private final String query;

    public ServletRequest(HttpServletRequest servlet) {
        super(
                servlet.getMethod(),
                mountPath(servlet) + (servlet.getPathInfo() == null ? "" : servlet.getPathInfo()),
                mountPath(servlet));
        this.servlet = servlet;
        this.query = servlet.getQueryString() == null ? "" : servlet.getQueryString();
    }

    /** Where the dashboard is mounted: the application's context path and the servlet's mapping ({@code /steadfast}). */
    static String mountPath(HttpServletRequest servlet) {
        return servlet.getContextPath() + servlet.getServletPath();
    }

    @Override
    protected String param(String name) {
        List<String> values = queryValues(name);
        return values.isEmpty() ? null : values.get(0);
    }

    @Override
    protected boolean hasQueryParam(String name) {
        return !queryValues(name).isEmpty();
    }

    @Override
    protected Set<String> queryParamNames() {
        Set<String> names = new LinkedHashSet<>();
        for (String pair : query.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                names.add(decode(eq < 0 ? pair : pair.substring(0, eq)));
            }
        }
        return names;
    }

    @Override
    protected String field(String name) {
        List<String> values = fields(name);
        return values.isEmpty() ? null : values.get(0);
    }

    @Override
    protected List<String> fields(String name) {
        if (!"POST".equals(method)) {
            return List.of();
        }
        if (servlet.getContentLengthLong() > MAX_FORM_BYTES) {
            throw new HttpStatusException(413, "form too large");
        }
        String[] all = servlet.getParameterValues(name);
        if (all == null) {
            return List.of();
        }
        int fromQuery = queryValues(name).size();
        if (all.length - fromQuery > MAX_FORM_FIELDS) {
            throw new HttpStatusException(400, "too many form fields");
        }
        return all.length <= fromQuery ? List.of() : Arrays.asList(all).subList(fromQuery, all.length);
    }

    /** Has the container read a POSTed form's body (bounded as {@link #fields} bounds it), if nobody has yet. */
    public void readFormAhead() {
        if ("POST".equals(method) && servlet.getContentLengthLong() <= MAX_FORM_BYTES) {
            servlet.getParameterMap();
        }
    }

    @Override
    protected String containerCsrf() {
        HttpSession session = servlet.getSession(false);
        Object token = session == null ? null : session.getAttribute(CSRF_ATTRIBUTE);
        return token instanceof String s ? s : null;
    }

    @Override
    protected boolean storeContainerCsrf(String token) {
        HttpSession session = servlet.getSession(false);
        if (session == null) {
            return false;
        }
        session.setAttribute(CSRF_ATTRIBUTE, token);
        return true;
    }

    private List<String> queryValues(String name) {
        List<String> values = new ArrayList<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (key.equals(name)) {
                values.add(eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return values;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new HttpStatusException(400, "malformed query string");
        }
    }

    @Override
    protected long contentLength() {
        return servlet.getContentLengthLong();
    }

    @Override
    protected InputStream bodyStream() throws IOException {
        return servlet.getInputStream();
    }

    @Override
    protected String header(String name) {
        return servlet.getHeader(name);
    }

    @Override
    protected String cookie(String name) {
        Cookie[] cookies = servlet.getCookies();
        if (cookies != null) {
            for (Cookie cookie : cookies) {
                if (cookie.getName().equals(name)) {
                    return cookie.getValue();
                }
            }
        }
        return null;
    }

    @Override
    protected boolean transportSecure() {
        return servlet.isSecure();
    }

    @Override
    protected String remoteAddress() {
        return servlet.getRemoteAddr();
    }
}
