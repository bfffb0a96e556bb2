package dev.steadfast.cli.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.steadfast.cli.doctor.DoctorReport;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.FailedJob;
import dev.steadfast.queue.JobBrowser;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.JobView;
import dev.steadfast.queue.Worker;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The dashboard, {@code /metrics} (Prometheus text), {@code /healthz} and {@code /readyz}, served by the
 * JDK's HTTP server: server-rendered pages, everything from the jar, no CDN.
 */
public final class WebServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WORKER_ALIVE = Duration.ofMinutes(1);

    private final HttpServer server;
    private final ExecutorService threads;
    private final JobQueue queue;
    private final ResilientDatabase db;
    private final PrometheusMeterRegistry registry;
    private final Access access;
    private final Readiness readiness;
    private final String workerId;

    private WebServer(WebSettings settings, JobQueue queue, PrometheusMeterRegistry registry, Worker worker) throws IOException {
        this.queue = queue;
        this.db = queue.database();
        this.registry = registry;
        this.access = new Access(settings.token());
        this.readiness = new Readiness(db, worker);
        this.workerId = worker == null ? null : worker.id();
        this.server = HttpServer.create(new InetSocketAddress(settings.bind(), settings.port()), 50);
        this.threads = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "steadfast-web");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
    }

    /** Starts serving; {@code worker} is null in a process that runs none (readiness then ignores it). */
    public static WebServer start(WebSettings settings, JobQueue queue, PrometheusMeterRegistry registry, Worker worker)
            throws IOException {
        WebServer web = new WebServer(settings, queue, registry, worker);
        web.server.start();
        LOG.info("dashboard at http://{}:{}/ (metrics at /metrics, probes at /healthz and /readyz){}", settings.bind(),
                web.port(), settings.token() != null ? "; token required" : "");
        return web;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Request request = new Request(exchange);
            route(request);
        } catch (RuntimeException | IOException e) {
            LOG.warn("{} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e.toString());
            try {
                send(exchange, 500, "text/plain; charset=utf-8", "internal error: " + e.getClass().getSimpleName());
            } catch (IOException | RuntimeException ignored) {
                // the response had started already; the client sees a cut connection
            }
        }
    }

    private void route(Request r) throws IOException {
        String path = r.path;
        if (path.equals("/healthz")) {
            json(r, 200, Map.of("status", "up"));
            return;
        }
        if (path.equals("/readyz")) {
            Map<String, Object> body = readiness.check();
            json(r, "ready".equals(body.get("status")) ? 200 : 503, body);
            return;
        }
        if (path.equals("/login")) {
            login(r);
            return;
        }
        if (!access.allowed(r)) {
            if (path.equals("/metrics") || !"GET".equals(r.method)) {
                send(r.exchange, 401, "text/plain; charset=utf-8", "a token is required (Authorization: Bearer ...)");
            } else {
                redirect(r, "/login");
            }
            return;
        }
        if ("POST".equals(r.method)) {
            post(r);
            return;
        }
        if (!"GET".equals(r.method)) {
            send(r.exchange, 405, "text/plain; charset=utf-8", "method not allowed");
            return;
        }
        try {
            get(r);
        } catch (java.sql.SQLException e) {
            html(r, 503, Layout.page("Database unavailable", "", "<p class=\"bad\">The database did not answer: "
                    + Html.esc(e.getMessage()) + "</p><p>Steadfast keeps trying; reload in a moment.</p>"));
        }
    }

    private void get(Request r) throws IOException, java.sql.SQLException {
        JobBrowser browser = queue.browser();
        String path = r.path;
        if (path.equals("/")) {
            html(r, 200, OverviewPage.render(queue.stats(), browser.throughput(60), browser.workers(WORKER_ALIVE),
                    ProcessConnections.of(registry, db.connectionHealth(), workerId)));
        } else if (path.equals("/metrics")) {
            send(r.exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
        } else if (path.equals("/jobs")) {
            String state = Optional.ofNullable(r.param("state")).orElse("pending");
            if (!JobBrowser.STATES.contains(state)) {
                html(r, 400, Layout.page("Unknown state", "", "<p>No such state: " + Html.esc(state) + "</p>"));
                return;
            }
            int page = r.intParam("page", 0);
            List<JobView> jobs = browser.list(state, r.param("q"), page * JobsPage.PAGE_SIZE, JobsPage.PAGE_SIZE);
            html(r, 200, JobsPage.render(state, r.param("q"), page, jobs));
        } else if (path.startsWith("/jobs/")) {
            Optional<JobView> job = parseId(path.substring("/jobs/".length())).flatMap(id -> {
                try {
                    return browser.job(id);
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            if (job.isEmpty()) {
                html(r, 404, Layout.page("No such job", "", "<p>There is no job " + Html.esc(path.substring(6))
                        + " (succeeded jobs are purged after their retention period).</p>"));
                return;
            }
            html(r, 200, JobPage.render(job.get(), browser.failure(job.get().id()), access.csrfToken()));
        } else if (path.equals("/failed")) {
            html(r, 200, FailedPage.render(queue.failedJobs(200), access.csrfToken(), r.param("done")));
        } else if (path.equals("/workers")) {
            html(r, 200, WorkersPage.render(browser.workers(WORKER_ALIVE)));
        } else if (path.equals("/connections")) {
            html(r, 200, ConnectionsPage.render(ProcessConnections.of(registry, db.connectionHealth(), workerId), browser.workers(WORKER_ALIVE),
                    DoctorReport.examine(db, Duration.ofSeconds(30))));
        } else if (path.equals("/static/dashboard.css")) {
            try (InputStream css = WebServer.class.getResourceAsStream("/web/dashboard.css")) {
                send(r.exchange, 200, "text/css; charset=utf-8", new String(css.readAllBytes(), StandardCharsets.UTF_8));
            }
        } else {
            html(r, 404, Layout.page("Not found", "", "<p>Nothing here.</p>"));
        }
    }

    private void post(Request r) throws IOException {
        if (!access.genuinePost(r)) {
            send(r.exchange, 403, "text/plain; charset=utf-8", "refused: missing or wrong CSRF token, or a cross-site request");
            return;
        }
        boolean retry = r.path.equals("/failed/retry");
        if (!retry && !r.path.equals("/failed/forget")) {
            send(r.exchange, 404, "text/plain; charset=utf-8", "no such action");
            return;
        }
        try {
            int done;
            if (retry && "1".equals(r.param("all"))) {
                done = queue.retryAllFailed();
            } else {
                List<String> ids = r.param("only") != null ? List.of(r.param("only")) : r.params("id");
                done = 0;
                for (String raw : ids) {
                    Optional<Long> id = parseId(raw);
                    if (id.isPresent() && (retry ? queue.retryFailed(id.get()) : queue.forgetFailed(id.get()))) {
                        done++;
                    }
                }
            }
            redirect(r, "/failed?done=" + Html.url((retry ? "Retried " : "Forgot ") + done + " job(s)"));
        } catch (java.sql.SQLException e) {
            send(r.exchange, 503, "text/plain; charset=utf-8", "database unavailable: " + e.getMessage());
        }
    }

    private void login(Request r) throws IOException {
        if ("POST".equals(r.method) && r.param("token") != null && access.matches(r.param("token"))) {
            r.exchange.getResponseHeaders().add("Set-Cookie", Access.COOKIE + "=" + access.cookieValue()
                    + "; Path=/; HttpOnly; SameSite=Strict");
            redirect(r, "/");
            return;
        }
        String error = "POST".equals(r.method) ? "<p class=\"bad\">Wrong token.</p>" : "";
        html(r, "POST".equals(r.method) ? 401 : 200, Layout.page("Sign in", "", error
                + (access.tokenRequired() ? "<form method=\"post\" action=\"/login\"><p>Token (STEADFAST_UI_TOKEN): "
                + "<input type=\"password\" name=\"token\" autofocus> <button class=\"primary\">Sign in</button></p></form>"
                : "<p>No token is required here. <a href=\"/\">Go to the overview</a>.</p>")));
    }

    private static Optional<Long> parseId(String raw) {
        try {
            return Optional.of(Long.parseLong(raw.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void json(Request r, int status, Object body) throws IOException {
        send(r.exchange, status, "application/json", JSON.writeValueAsString(body));
    }

    private static void html(Request r, int status, String page) throws IOException {
        send(r.exchange, status, "text/html; charset=utf-8", page);
    }

    private static void redirect(Request r, String location) throws IOException {
        r.exchange.getResponseHeaders().set("Location", location);
        r.exchange.sendResponseHeaders(303, -1);
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (contentType.startsWith("text/html")) {
            // nothing but our own stylesheet may load or run, whatever a payload holds
            exchange.getResponseHeaders().set("Content-Security-Policy",
                    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'");
            exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(1);
        threads.shutdownNow();
    }

    @Override
    public String toString() {
        return "dashboard on port " + port();
    }
}
