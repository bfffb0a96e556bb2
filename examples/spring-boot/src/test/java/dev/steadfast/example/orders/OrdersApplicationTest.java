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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The example over HTTP, on a real MariaDB server, with the versions Spring Boot's parent picks. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext // closed while the test's database still runs, not in the JVM's shutdown beside it
class OrdersApplicationTest {
    static final MariaDbServer SERVER = MariaDbServer.shared();
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

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
        HttpResponse<String> health = get("/actuator/health");
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        JsonNode steadfast = JSON.readTree(health.body()).path("components").path("steadfast");
        assertThat(steadfast.path("status").asText()).isEqualTo("UP");
        assertThat(steadfast.path("details").path("schema").asText()).isNotEmpty();
        assertThat(steadfast.path("details").path("workerState").asText()).isEqualTo("running");

        HttpResponse<String> stats = get("/actuator/steadfast");
        assertThat(stats.statusCode()).as(stats.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(stats.body());
        assertThat(body.has("pending")).isTrue();
        assertThat(body.path("worker").path("queues").get(0).asText()).isEqualTo("bookings");

        HttpResponse<String> metrics = get("/actuator/metrics");
        assertThat(JSON.readTree(metrics.body()).path("names").toString()).as("Steadfast's meters are in the application's registry")
                .contains("\"steadfast.outage\"", "\"steadfast.liveness.evictions\"");
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
