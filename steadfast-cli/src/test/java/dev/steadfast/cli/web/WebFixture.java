package dev.steadfast.cli.web;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.jdbc.RetryPolicy;
import dev.steadfast.queue.JobHandler;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.RetryBackoff;
import dev.steadfast.queue.Worker;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.TestDatabase;
import dev.steadfast.web.WebSettings;
import dev.steadfast.web.internal.Access;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/** A dashboard over a test server with a real worker, and an HTTP client that does not follow redirects. */
final class WebFixture implements AutoCloseable {
    final ResilientDatabase db;
    final JobQueue queue;
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final Worker worker;
    final WebServer web;
    final HttpClient http =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    WebFixture(TestDatabase server, String token, List<JobHandler<?>> handlers) throws Exception {
        db = ResilientDatabase.builder()
                .jdbcUrl(server.url(JdbcDriver.MARIADB))
                .username(server.user())
                .password(server.password())
                .meterRegistry(registry)
                .retryPolicy(RetryPolicy.DEFAULT.withDeadline(Duration.ofSeconds(3)))
                .build();
        queue = JobQueue.create(db);
        Worker.Builder builder = Worker.builder(queue)
                .queues(List.of("default", "web"))
                .lease(Duration.ofSeconds(3)) // a heartbeat every second: the workers page is current in tests
                .pollInterval(Duration.ofMillis(20), Duration.ofMillis(200))
                .retryBackoff(RetryBackoff.fixed(Duration.ofMillis(50)));
        handlers.forEach(builder::handler);
        worker = builder.build();
        worker.start();
        web = WebServer.start(new WebSettings("127.0.0.1", 0, token), queue, registry, worker);
    }

    String base() {
        return "http://127.0.0.1:" + web.port();
    }

    /**
     * The CSRF cookie a dashboard without a token gave this fixture's client (as a browser keeps it), sent back with each
     * request that carries no Cookie header of its own; null until one is given.
     */
    private volatile String csrfCookie;

    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base() + path)).GET();
        withHeaders(request, headers);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        for (String cookie : response.headers().allValues("Set-Cookie")) {
            if (cookie.startsWith(Access.CSRF_COOKIE + "=")) {
                csrfCookie = cookie.substring(0, cookie.indexOf(';'));
            }
        }
        return response;
    }

    private void withHeaders(HttpRequest.Builder request, String... headers) {
        boolean cookie = false;
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
            cookie |= headers[i].equalsIgnoreCase("Cookie");
        }
        if (!cookie && csrfCookie != null) {
            request.header("Cookie", csrfCookie);
        }
    }

    HttpResponse<String> post(String path, String form, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        withHeaders(request, headers);
        return fresh().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postJson(String path, String json, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        withHeaders(request, headers);
        return fresh().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A client with no pooled connection: the server closes a keep-alive connection idle for 10 s, and the JDK's client
     * sends a POST on such a stale one and fails ("header parser received no bytes") instead of retrying it.
     */
    private static HttpClient fresh() {
        return HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The CSRF token as the failed-jobs page embeds it. */
    String csrf(String... headers) throws Exception {
        String page = get("/failed", headers).body();
        int at = page.indexOf("name=\"csrf\" value=\"") + "name=\"csrf\" value=\"".length();
        return page.substring(at, page.indexOf('"', at));
    }

    @Override
    public void close() throws SQLException, InterruptedException {
        web.close();
        worker.stop();
        worker.awaitTermination(Duration.ofSeconds(20));
        db.close();
    }
}
