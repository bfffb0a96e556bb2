package dev.steadfast.cli.web;

import dev.steadfast.queue.notify.Redactor;
import org.eclipse.jetty.http.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

/**
 * Dispatches every request through the route table and enforces each route's {@link Route.Guard}: the Host
 * allow-list, the token, the Origin and CSRF checks of state changes. It also bounds how many pages render
 * at once (each may hold a page of rows in memory; probes are never held back), turns a database that does
 * not answer into the 503 page on every route, and never shows SQL error text. It answers whatever serves the
 * dashboard: its own Jetty ({@link JettyHandler}) or an application's servlet container ({@link DashboardServlet}).
 */
final class Router {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);
    static final int CONCURRENT_PAGES = 8;

    private final List<Route> routes;
    private final HostAllowList hosts;
    private final Access access;
    private final Semaphore pages = new Semaphore(CONCURRENT_PAGES);

    private final String basePath;

    Router(List<Route> routes, HostAllowList hosts, Access access, String basePath) {
        this.routes = List.copyOf(routes);
        this.hosts = hosts;
        this.access = access;
        this.basePath = basePath;
    }

    String basePath() {
        return basePath;
    }

    /**
     * The answer to a request, with every header it is to be sent with (the security headers, a redirect's target
     * under the base path).
     */
    Answer respond(Request request) {
        Reply reply;
        BasePath.set(request.basePath);
        try {
            try {
                reply = request.path == null ? notFound() : dispatch(request);
            } catch (RuntimeException e) {
                if (e instanceof HttpException http) { // a malformed request, or a form over its limits
                    reply = Reply.text(http.getCode(), "bad request: " + http.getReason());
                } else if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
                    reply = Reply.text(400, "bad request");
                } else {
                    throw e;
                }
            }
            return new Answer(reply.status(), headers(reply), reply.body());
        } finally {
            BasePath.clear();
        }
    }

    /** What goes back to the client: status, headers, body. */
    record Answer(int status, Map<String, String> headers, byte[] body) {
    }

    private Reply dispatch(Request request) {
        Route match = null;
        Matcher matcher = null;
        boolean pathKnown = false;
        for (Route route : routes) {
            Matcher m = route.path().matcher(request.path);
            if (m.matches()) {
                pathKnown = true;
                if (route.method().equals(request.method) || (route.method().equals("GET") && request.method.equals("HEAD"))) {
                    match = route;
                    matcher = m;
                    break;
                }
            }
        }
        Access.Caller caller = access.identify(request);
        if (match == null || match.guard() != Route.Guard.PROBE) {
            if (!caller.bearer() && !hosts.allowsHost(request.header("Host"))) {
                return Reply.text(421, "this dashboard does not answer to the host name in the request; if it is yours, "
                        + "start it with --public-host NAME");
            }
        }
        if (match == null) {
            return pathKnown ? Reply.text(405, "method not allowed") : notFound();
        }
        if (match.guard() == Route.Guard.PROBE) {
            return run(match, request, caller, matcher);
        }
        if ("POST".equals(request.method) && !sameOrigin(request)) {
            return Reply.text(403, "refused: a cross-site request");
        }
        if (match.guard() == Route.Guard.API) {
            if (!access.tokenRequired()) {
                return Reply.json(403, Map.of("error", "the HTTP API needs a token: start with --token-file (or STEADFAST_UI_TOKEN)"));
            }
            if (!caller.bearer()) {
                return Reply.json(401, Map.of("error", "a valid token is required: Authorization: Bearer TOKEN"))
                        .with("WWW-Authenticate", "Bearer");
            }
            return limited(match, request, caller, matcher);
        }
        if (match.guard() == Route.Guard.SIGNED_IN || match.guard() == Route.Guard.ACTION) {
            if (!caller.allowed()) {
                return "GET".equals(request.method) && !request.path.equals("/metrics")
                        ? Reply.redirect("/login") : Reply.text(401, "a token is required (Authorization: Bearer ...)");
            }
            if (match.guard() == Route.Guard.ACTION && !Access.csrfMatches(caller, request.field("csrf"))) {
                return Reply.text(403, "refused: missing or wrong CSRF token (reload the page and try again)");
            }
        }
        return limited(match, request, caller, matcher);
    }

    /** Browsers send Origin with every POST; a foreign one (or a cross-site fetch) is refused. */
    private boolean sameOrigin(Request request) {
        String origin = request.header("Origin");
        if (origin != null && ("null".equals(origin) || !hosts.allowsOrigin(origin, request.header("Host")))) {
            return false;
        }
        return !"cross-site".equals(request.header("Sec-Fetch-Site"));
    }

    private Reply limited(Route route, Request request, Access.Caller caller, Matcher matcher) {
        boolean acquired;
        try {
            acquired = pages.tryAcquire(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return busy();
        }
        if (!acquired) {
            return busy();
        }
        try {
            return run(route, request, caller, matcher);
        } finally {
            pages.release();
        }
    }

    private static Reply run(Route route, Request request, Access.Caller caller, Matcher matcher) {
        try {
            return route.action().run(request, caller, matcher);
        } catch (SQLException e) {
            LOG.warn("{} {}: the database did not answer: {}", request.method, request.path, Redactor.process().redact(e.getMessage()));
            return unavailable();
        } catch (RuntimeException e) {
            if (e instanceof HttpException || e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
                throw e; // the request's fault: answered 400 by handle()
            }
            return internalError(request, e);
        } catch (Exception e) {
            return internalError(request, e);
        }
    }

    private static Reply internalError(Request request, Exception e) {
        LOG.warn("{} {} failed: {}", request.method, request.path, Redactor.process().redact(e.toString()));
        return Reply.html(500, Layout.message("Something went wrong", "The page could not be built; the server log has the details."));
    }

    static Reply unavailable() {
        return Reply.html(503, Layout.page("Database unavailable", "", new HtmlWriter()
                .element("p", "The database did not answer.", "class", "bad")
                .element("p", "Steadfast keeps trying; reload in a moment.").fragment())).with("Retry-After", "5");
    }

    private static Reply busy() {
        return Reply.text(503, "busy: too many pages are being built at once; try again in a moment").with("Retry-After", "2");
    }

    private static Reply notFound() {
        return Reply.html(404, Layout.message("Not found", "Nothing here."));
    }

    private static Map<String, String> headers(Reply reply) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (reply.contentType() != null) {
            headers.put("Content-Type", reply.contentType());
        }
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Cache-Control", "no-store");
        // not no-referrer: with it, browsers send "Origin: null" on form posts, which must be refused
        headers.put("Referrer-Policy", "same-origin");
        if (Reply.HTML.equals(reply.contentType())) {
            // nothing but our own stylesheet may load or run, whatever a payload holds
            headers.put("Content-Security-Policy", "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'"
                    + " 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
            headers.put("X-Frame-Options", "DENY");
        }
        for (Map.Entry<String, String> h : reply.headers().entrySet()) {
            headers.put(h.getKey(), h.getKey().equals("Location") ? BasePath.link(h.getValue()) : h.getValue());
        }
        return headers;
    }
}
