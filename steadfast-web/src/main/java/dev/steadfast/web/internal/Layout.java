package dev.steadfast.web.internal;

/**
 * The frame around every page: navigation and stylesheet, all served from the jar. "Sign out" is in the navigation
 * only for a caller signed in with a session cookie (set by the router for the thread answering a request): a dashboard
 * without a token has nothing to sign out of, the login page nobody signed in yet.
 */
final class Layout {
    private static final ThreadLocal<Boolean> SESSION = ThreadLocal.withInitial(() -> false);
    private static final String SIGN_OUT = "/logout";

    private static final String[][] NAV = {
        {"/", "Overview"},
        {"/jobs?state=pending", "Pending"},
        {"/jobs?state=scheduled", "Scheduled"},
        {"/jobs?state=running", "Running"},
        {"/jobs?state=succeeded", "Succeeded"},
        {"/failed", "Failed"},
        {"/batches", "Batches"},
        {"/schedules", "Schedules"},
        {"/workflows", "Workflows"},
        {"/workers", "Workers"},
        {"/connections", "Connections"},
        {SIGN_OUT, "Sign out"}
    };

    private Layout() {}

    /** Whether the caller of this thread's request is signed in with a session cookie. */
    static void signedIn(boolean withSession) {
        SESSION.set(withSession);
    }

    static void clear() {
        SESSION.remove();
    }

    static String page(String title, String active, HtmlWriter.Fragment body) {
        return page(title, active, body, false);
    }

    /** A page the dashboard's script refreshes every few seconds (unless paused), as lists and counts change. */
    static String livePage(String title, String active, HtmlWriter.Fragment body) {
        return page(title, active, body, true);
    }

    private static String page(String title, String active, HtmlWriter.Fragment body, boolean live) {
        HtmlWriter nav = new HtmlWriter();
        for (String[] item : NAV) {
            if (item[0].equals(SIGN_OUT) && !SESSION.get()) {
                continue;
            }
            nav.element("a", item[1], "href", item[0], "class", item[0].equals(active) ? "active" : null);
        }
        if (live) {
            nav.element(
                    "button", "Live: on", "id", "live", "type", "button", "title", "refresh this page every 5 seconds");
        }
        return "<!doctype html>"
                + new HtmlWriter()
                        .open("html", "lang", "en")
                        .open("head")
                        .empty("meta", "charset", "utf-8")
                        .empty("meta", "name", "viewport", "content", "width=device-width, initial-scale=1")
                        .element("title", title + " · Steadfast")
                        .empty("link", "rel", "stylesheet", "href", "/static/dashboard.css")
                        .open("script", "src", "/static/dashboard.js", "defer", "defer")
                        .close("script")
                        .close("head")
                        .open("body")
                        .open("header")
                        .element("span", "Steadfast", "class", "brand")
                        .add(nav.fragment())
                        .close("header")
                        .open("main", "data-live", live ? "1" : null)
                        .element("h1", title)
                        .add(body)
                        .close("main")
                        .close("body")
                        .close("html");
    }

    /** A page whose body is one paragraph of text. */
    static String message(String title, String text) {
        return page(title, "", new HtmlWriter().element("p", text).fragment());
    }
}
