package dev.steadfast.web.internal;

import dev.steadfast.queue.text.Redactor;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches every request through the route table and enforces each route's {@link Route.Guard}: the Host
 * allow-list, the token (wrong Bearer tokens count in the login throttle), the Origin and CSRF checks of state
 * changes. It also bounds how many pages render at once (each may hold a page of rows in memory; probes are never
 * held back): {@link #CONCURRENT_PAGES} for callers who showed the token, {@link #CONCURRENT_PUBLIC} more for the
 * pages anyone may ask for (the login form, the stylesheet), so neither can take the other's. A body is read whole
 * before any of these permits is taken ({@link #admit}: how much, from which {@link BodyBudget}). It turns a database
 * that does not answer into the 503 page on every route, and never shows SQL error text. It answers whatever serves
 * the dashboard: the command's own Jetty (its {@code JettyHandler}) or an application's servlet container
 * ({@link dev.steadfast.web.DashboardServlet}).
 */
public final class Router {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);
    public static final int CONCURRENT_PAGES = 8;
    public static final int CONCURRENT_PUBLIC = 4;
    /** Bytes of bodies in memory at once from callers who have not shown the token: 16 full login forms. */
    static final int ANONYMOUS_BODY_BYTES = 16 * Request.MAX_FORM_BYTES;

    private final List<Route> routes;
    private final HostAllowList hosts;
    private final Access access;
    private final Semaphore pages = new Semaphore(CONCURRENT_PAGES);
    private final Semaphore publicPages = new Semaphore(CONCURRENT_PUBLIC);
    private final BodyBudget anonymousBodies = new BodyBudget(ANONYMOUS_BODY_BYTES);
    /**
     * For callers with the token: one of the largest bodies a route takes (an enqueue of the largest payload, which
     * costs a few times its size until it is stored) and forms beside it; a second large body at once is refused (503).
     */
    private final BodyBudget signedInBodies;

    private final String basePath;

    Router(List<Route> routes, HostAllowList hosts, Access access, String basePath) {
        this.routes = List.copyOf(routes);
        this.hosts = hosts;
        this.access = access;
        this.basePath = basePath;
        this.signedInBodies = new BodyBudget(ANONYMOUS_BODY_BYTES
                + this.routes.stream().mapToLong(Route::maxBody).max().orElse(0));
    }

    /**
     * What may be read of a POST's body before it is answered, judged from its headers alone: up to the route's limit
     * for a caller its guard lets in, a form's otherwise; from the budget of callers who showed the token or the one of
     * those who did not; a caller who showed the token reserves its declared length up front ({@code reserve}), the
     * others count bytes as they come (a trickle holds next to nothing). {@code refusal} is set when the declared length
     * is over the limit already.
     */
    public record Admission(int limit, BodyBudget budget, boolean reserve, Reply refusal) {}

    public Admission admit(Request request) {
        Route route = request.path == null ? null : match(request).route();
        Access.Caller caller = access.identify(request);
        boolean trusted = caller.bearer()
                || (caller.allowed() && (access.tokenRequired() || route == null || route.guard() != Route.Guard.API));
        int limit = route == null
                ? Request.MAX_FORM_BYTES
                : route.guard() == Route.Guard.API && !caller.bearer() ? Request.MAX_FORM_BYTES : route.maxBody();
        BodyBudget budget = trusted ? signedInBodies : anonymousBodies;
        Reply refusal = request.contentLength() > limit ? tooLarge(request, limit) : null;
        return new Admission(limit, budget, trusted, refusal);
    }

    /** A request's body could not be read as it must: 408 too slow, 413 too large, 503 too many bodies at once. */
    public Answer refuse(Request request, int status) {
        Reply reply = switch (status) {
            case 408 ->
                refusal(
                                request,
                                408,
                                "the request body did not arrive in time (it must arrive within "
                                        + Request.BODY_GRACE.toSeconds() + " s plus 1 s per "
                                        + Request.BODY_MIN_RATE / 1024 + " KB)")
                        .with("Connection", "close");
            case 413 -> tooLarge(request, -1);
            case 503 ->
                refusal(request, 503, "busy: too many request bodies are being received at once; try again in a moment")
                        .with("Retry-After", "2");
            default ->
                refusal(request, status, "the request body could not be read").with("Connection", "close");
        };
        return answer(request, reply);
    }

    private static Reply tooLarge(Request request, int limit) {
        return refusal(
                        request,
                        413,
                        "the request body is too large" + (limit >= 0 ? " (at most " + limit + " bytes here)" : ""))
                .with("Connection", "close");
    }

    /** A refusal as its route's callers read them: JSON with an {@code error} on the API, plain text elsewhere. */
    static Reply refusal(Request request, int status, String message) {
        return request.path != null && request.path.startsWith("/api/")
                ? Reply.json(status, Map.of("error", message))
                : Reply.text(status, message);
    }

    public String basePath() {
        return basePath;
    }

    /**
     * The answer to a request, with every header it is to be sent with (the security headers, a redirect's target
     * under the base path).
     */
    public Answer respond(Request request) {
        BasePath.set(request.basePath); // pages are written with the base path in their links
        try {
            Reply reply;
            try {
                reply = request.path == null ? notFound() : dispatch(request);
            } catch (RuntimeException e) {
                if (e instanceof HttpStatusException http) { // a malformed request, or a form over its limits
                    reply = refusal(request, http.status(), "bad request: " + http.reason());
                } else if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
                    reply = refusal(request, 400, "bad request");
                } else {
                    throw e;
                }
            }
            return answer(request, reply);
        } finally {
            BasePath.clear();
            Layout.clear();
        }
    }

    /** A reply with the headers it is sent with; its Location under the base path. */
    public Answer answer(Request request, Reply reply) {
        String outer = BasePath.current();
        BasePath.set(request.basePath);
        try {
            return new Answer(reply.status(), headers(reply), reply.body());
        } finally {
            BasePath.set(outer);
        }
    }

    /** What goes back to the client: status, headers, body. */
    public record Answer(int status, Map<String, String> headers, byte[] body) {}

    /** The route a request asks for (null when none), its path's groups, and whether the path is known at all. */
    private record Match(Route route, Matcher matcher, boolean pathKnown) {}

    private Match match(Request request) {
        boolean pathKnown = false;
        for (Route route : routes) {
            Matcher m = route.path().matcher(request.path);
            if (m.matches()) {
                pathKnown = true;
                if (route.method().equals(request.method)
                        || (route.method().equals("GET") && request.method.equals("HEAD"))) {
                    return new Match(route, m, true);
                }
            }
        }
        return new Match(null, null, pathKnown);
    }

    private Reply dispatch(Request request) {
        Access.Caller caller = access.identify(request);
        Layout.signedIn(caller.session().isPresent());
        Reply reply = guarded(request, caller);
        // on pages only: the stylesheet and script a page loads beside it must not each hand out another token
        return caller.csrfIssued() && Reply.HTML.equals(reply.contentType())
                ? reply.with("Set-Cookie", cookie(request, Access.CSRF_COOKIE, caller.csrf(), ""))
                : reply;
    }

    /** A cookie for this dashboard only: its base path, never readable by scripts, never sent cross-site. */
    static String cookie(Request request, String name, String value, String attributes) {
        return name + "=" + value + "; Path=" + (request.basePath.isEmpty() ? "/" : request.basePath)
                + "; HttpOnly; SameSite=Strict" + attributes + (request.secure() ? "; Secure" : "");
    }

    private Reply guarded(Request request, Access.Caller caller) {
        Match found = match(request);
        Route match = found.route();
        Matcher matcher = found.matcher();
        boolean pathKnown = found.pathKnown();
        if (match == null || match.guard() != Route.Guard.PROBE) {
            // a token is judged (and a wrong one counted) before anything else answers: under any host name, on any
            // path
            Reply throttled = throttleBearer(request, caller);
            if (throttled != null) {
                return throttled;
            }
            if (!caller.bearer() && !hosts.allowsHost(request.header("Host"))) {
                return refusal(
                        request,
                        421,
                        "this dashboard does not answer to the host name in the request; if it is "
                                + "yours, start it with --public-host NAME");
            }
        }
        if (match == null) {
            return pathKnown
                    ? refusal(request, 405, "method not allowed")
                    : request.path.startsWith("/api/") ? refusal(request, 404, "not found") : notFound();
        }
        if (match.guard() == Route.Guard.PROBE) {
            return run(match, request, caller, matcher);
        }
        if (!"GET".equals(request.method)
                && !"HEAD".equals(request.method)
                && !sameOrigin(request)) { // POST and DELETE
            return Reply.text(403, "refused: a cross-site request");
        }
        if (match.guard() == Route.Guard.API) {
            if (!access.tokenRequired()) {
                return Reply.json(
                        403,
                        Map.of("error", "the HTTP API needs a token: start with --token-file (or STEADFAST_UI_TOKEN)"));
            }
            if (!caller.bearer()) {
                return Reply.json(401, Map.of("error", "a valid token is required: Authorization: Bearer TOKEN"))
                        .with("WWW-Authenticate", "Bearer");
            }
            return limited(pages, match, request, caller, matcher);
        }
        if (match.guard() == Route.Guard.SIGNED_IN || match.guard() == Route.Guard.ACTION) {
            if (!caller.allowed()) {
                return "GET".equals(request.method) && !request.path.equals("/metrics")
                        ? Reply.redirect("/login")
                        : Reply.text(401, "a token is required (Authorization: Bearer ...)");
            }
            if (match.guard() == Route.Guard.ACTION && !Access.csrfMatches(caller, request.field("csrf"))) {
                return Reply.text(403, "refused: missing or wrong CSRF token (reload the page and try again)");
            }
        }
        return limited(match.guard() == Route.Guard.PUBLIC ? publicPages : pages, match, request, caller, matcher);
    }

    /**
     * A request with an {@code Authorization: Bearer} header is a guess at the token like a login: while its address is held
     * back it is refused unchecked (429), else a wrong token counts. A right one does not clear the count (a scraper
     * at the same address would otherwise give a guesser fresh tries).
     */
    private Reply throttleBearer(Request request, Access.Caller caller) {
        String auth = request.header("Authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7) || !access.tokenRequired()) {
            return null; // another scheme (a proxy's Basic) is refused, but is no guess at the token
        }
        String address = access.address(request);
        Duration wait = access.throttle().waitFor(address);
        if (!wait.isZero()) {
            long seconds = LoginThrottle.seconds(wait);
            return refusal(request, 429, "too many wrong tokens from this address: try again in " + seconds + " s")
                    .with("Retry-After", Long.toString(seconds));
        }
        if (!caller.bearer()) {
            access.throttle().failed(address);
        }
        return null;
    }

    /** Browsers send Origin with every POST; a foreign one (or a cross-site fetch) is refused. */
    private boolean sameOrigin(Request request) {
        String origin = request.header("Origin");
        if (origin != null
                && ("null".equals(origin) || !hosts.allowsOrigin(origin, request.header("Host"), request.secure()))) {
            return false;
        }
        return !"cross-site".equals(request.header("Sec-Fetch-Site"));
    }

    private Reply limited(Semaphore pages, Route route, Request request, Access.Caller caller, Matcher matcher) {
        boolean acquired;
        try {
            acquired = pages.tryAcquire(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return busy(request);
        }
        if (!acquired) {
            return busy(request);
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
            LOG.warn(
                    "{} {}: the database did not answer: {}",
                    request.method,
                    request.path,
                    Redactor.process().redact(e.getMessage()));
            return request.path.startsWith("/api/")
                    ? refusal(request, 503, "the database did not answer; retry in a moment")
                            .with("Retry-After", "5")
                    : unavailable();
        } catch (RuntimeException e) {
            if (e instanceof HttpStatusException
                    || e instanceof IllegalArgumentException
                    || e instanceof IllegalStateException) {
                throw e; // the request's fault: answered 400 by handle()
            }
            return internalError(request, e);
        } catch (Exception e) {
            return internalError(request, e);
        }
    }

    private static Reply internalError(Request request, Exception e) {
        LOG.warn(
                "{} {} failed: {}",
                request.method,
                request.path,
                Redactor.process().redact(e.toString()));
        if (request.path.startsWith("/api/")) {
            return refusal(request, 500, "the request could not be answered; the server log has the details");
        }
        return Reply.html(
                500,
                Layout.message("Something went wrong", "The page could not be built; the server log has the details."));
    }

    static Reply unavailable() {
        return Reply.html(
                        503,
                        Layout.page(
                                "Database unavailable",
                                "",
                                new HtmlWriter()
                                        .element("p", "The database did not answer.", "class", "bad")
                                        .element("p", "Steadfast keeps trying; reload in a moment.")
                                        .fragment()))
                .with("Retry-After", "5");
    }

    private static Reply busy(Request request) {
        return refusal(request, 503, "busy: too many pages are being built at once; try again in a moment")
                .with("Retry-After", "2");
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
            headers.put(
                    "Content-Security-Policy",
                    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'"
                            + " 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
            headers.put("X-Frame-Options", "DENY");
        }
        for (Map.Entry<String, String> h : reply.headers().entrySet()) {
            headers.put(h.getKey(), h.getKey().equals("Location") ? BasePath.link(h.getValue()) : h.getValue());
        }
        return headers;
    }
}
