package dev.steadfast.web.internal;

/**
 * The path the dashboard is served under behind a reverse proxy ({@code --base-path /steadfast}): requests arrive
 * with it, and every link, form target and redirect the dashboard makes carries it. Pages are written with
 * root-relative links ({@code /jobs}); {@link HtmlWriter} and the router add the base path, set here by the
 * router for the thread answering a request.
 */
public final class BasePath {
    private static final ThreadLocal<String> CURRENT = ThreadLocal.withInitial(() -> "");

    private BasePath() {}

    /** {@code /steadfast} or empty; refuses anything but a plain path. */
    public static String normalise(String path) {
        if (path == null || path.isBlank() || path.equals("/")) {
            return "";
        }
        String p = path.trim();
        if (!p.matches("(/[A-Za-z0-9._~-]+)+/?")) {
            throw new IllegalArgumentException("a base path is like /steadfast or /ops/queue, got '" + path + "'");
        }
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    static void set(String basePath) {
        CURRENT.set(basePath);
    }

    static String current() {
        return CURRENT.get();
    }

    static void clear() {
        CURRENT.remove();
    }

    /** A root-relative link with the base path in front; other values unchanged. */
    static String link(String value) {
        String base = CURRENT.get();
        return !base.isEmpty() && value.startsWith("/") && !value.startsWith("//") ? base + value : value;
    }
}
