package dev.steadfast.example.orders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import java.net.CookieManager;
import java.util.Base64;

/** The example over HTTP, on a real MariaDB server, with the versions Spring Boot's parent picks. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "example.ops-password=" + OrdersApplicationTest.OPS)
@DirtiesContext // closed while the test's database still runs, not in the JVM's shutdown beside it
class OrdersApplicationTest {
    static final MariaDbServer SERVER = MariaDbServer.shared();
    static final ObjectMapper JSON = new ObjectMapper();
    static final String OPS = "ops-test-password";
    static final String BASIC = "Basic " + Base64.getEncoder().encodeToString(("ops:" + OPS).getBytes());
    final HttpClient http = HttpClient.newHttpClient();
    /** A browser with its cookie jar: the dashboard's CSRF token is each client's own (its container session, or a cookie). */
    final HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> SERVER.url(JdbcDriver.MARIADB));
        registry.add("spring.datasource.username", SERVER::user);
        registry.add("spring.datasource.password", SERVER::password);
    }

    @Test
    void anOrderIsTakenAndBookedByItsJob() throws Exception {
        HttpResponse<String> placed = post("/orders", "{\"customer\": \"alice\", \"amount\": 42}");
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        JsonNode order = JSON.readTree(placed.body());
        long id = order.path("id").asLong();
        assertThat(order.path("bookingJob").asLong()).isPositive();
        await().atMost(Duration.ofSeconds(20)).until(() -> JSON.readTree(get("/orders/" + id).body()).path("booked").asBoolean());
        assertThat(SERVER.queryLong("SELECT amount FROM ledger WHERE order_id = " + id)).isEqualTo(42);
    }

    @Test
    void aRefusedOrderLeavesNeitherOrderNorJob() throws Exception {
        long orders = SERVER.queryLong("SELECT COUNT(*) FROM orders");
        long jobs = SERVER.queryLong("SELECT COUNT(*) FROM sf_job WHERE type = 'book-order'");
        HttpResponse<String> refused = post("/orders", "{\"customer\": \"bob\", \"amount\": 2000000}");
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(refused.body()).path("error").asText()).contains("nothing was stored");
        assertThat(SERVER.queryLong("SELECT COUNT(*) FROM orders")).isEqualTo(orders);
        assertThat(SERVER.queryLong("SELECT COUNT(*) FROM sf_job WHERE type = 'book-order'")).as("the job rolled back too").isEqualTo(jobs);
    }

    @Test
    void healthAndTheSteadfastEndpointAnswerJson() throws Exception {
        HttpResponse<String> anonymous = get("/actuator/health");
        assertThat(anonymous.statusCode()).as(anonymous.body()).isEqualTo(200);
        assertThat(JSON.readTree(anonymous.body()).path("status").asText()).isEqualTo("UP");
        assertThat(JSON.readTree(anonymous.body()).has("components")).as("details are the operators': " + anonymous.body()).isFalse();
        assertThat(get("/actuator/health/readiness").statusCode()).as("probes answer anyone").isEqualTo(200);
        for (String path : List.of("/actuator", "/actuator/health/db", "/actuator/metrics", "/actuator/prometheus")) {
            assertThat(get(path).statusCode()).as(path).isEqualTo(401);
        }
        HttpResponse<String> health = get("/actuator/health", BASIC);
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        JsonNode steadfast = JSON.readTree(health.body()).path("components").path("steadfast");
        assertThat(steadfast.path("status").asText()).isEqualTo("UP");
        assertThat(steadfast.path("details").path("schema").asText()).isNotEmpty();
        assertThat(steadfast.path("details").path("workerState").asText()).isEqualTo("running");

        assertThat(get("/actuator/steadfast").statusCode()).as("the stats are the operators'").isEqualTo(401);
        HttpResponse<String> stats = get("/actuator/steadfast", BASIC);
        assertThat(stats.statusCode()).as(stats.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(stats.body());
        assertThat(body.has("pending")).isTrue();
        assertThat(body.path("worker").path("queues").get(0).asText()).isEqualTo("bookings");

        HttpResponse<String> metrics = get("/actuator/metrics", BASIC);
        assertThat(JSON.readTree(metrics.body()).path("names").toString()).as("Steadfast's meters are in the application's registry")
                .contains("\"steadfast.outage\"", "\"steadfast.liveness.evictions\"");
    }

    @Test
    void theDashboardIsMountedBehindTheApplicationsSecurity() throws Exception {
        assertThat(get("/steadfast/").statusCode()).as("the application's security comes first").isEqualTo(401);
        HttpResponse<String> overview = browser.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/steadfast/"))
                .header("Authorization", BASIC).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(overview.statusCode()).as(overview.body()).isEqualTo(200);
        assertThat(overview.body()).contains("<h2>Queues</h2>").contains("href=\"/steadfast/jobs")
                .contains("href=\"/steadfast/static/dashboard.css");
        assertThat(overview.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(get("/steadfast/static/dashboard.css", BASIC).statusCode()).isEqualTo(200);

        String csrf = overview.body().replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
        String origin = "http://localhost:" + port;
        HttpResponse<String> refused = form("/steadfast/queues/pause", "queue=bookings", origin);
        assertThat(refused.statusCode()).as("no CSRF token: the dashboard's own check").isEqualTo(403);
        HttpResponse<String> foreign = form("/steadfast/queues/pause", "csrf=" + csrf + "&queue=bookings", "https://attacker.example");
        assertThat(foreign.statusCode()).as("a cross-site form").isEqualTo(403);
        HttpResponse<String> pause = form("/steadfast/queues/pause", "csrf=" + csrf + "&queue=bookings", origin);
        assertThat(pause.statusCode()).as(pause.body()).isEqualTo(303);
        assertThat(pause.headers().firstValue("Location").orElse("")).startsWith("/steadfast/?done=paused");
        assertThat(SERVER.queryLong("SELECT paused FROM sf_queue WHERE name = 'bookings'")).isEqualTo(1);
        assertThat(form("/steadfast/queues/resume", "csrf=" + csrf + "&queue=bookings", origin).statusCode()).isEqualTo(303);
        assertThat(SERVER.queryLong("SELECT paused FROM sf_queue WHERE name = 'bookings'")).isZero();

        HttpResponse<String> otherClient = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/steadfast/queues/pause")).header("Authorization", BASIC).header("Origin", origin)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf + "&queue=bookings")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(otherClient.statusCode()).as("another client's CSRF token is no good (one token per client)").isEqualTo(403);
        assertThat(SERVER.queryLong("SELECT paused FROM sf_queue WHERE name = 'bookings'")).isZero();
    }

    private HttpResponse<String> form(String path, String body, String origin) throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Authorization", BASIC)
                .header("Origin", origin).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Authorization", authorization)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
