package dev.steadfast.cli.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steadfast.cli.plugins.BuiltInHandlers;
import dev.steadfast.testkit.MariaDbServer;
import dev.steadfast.web.BatchJson;
import dev.steadfast.web.JobJson;
import dev.steadfast.web.WebSettings;
import dev.steadfast.web.internal.LoginThrottle;
import dev.steadfast.web.internal.Router;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A token-protected dashboard attacked as the security review did: forged Host and Origin (DNS rebinding),
 * forged and stale sessions, the token in a URL, guessing, a wrong Bearer header next to a valid cookie.
 */
class WebSecurityTest {
    private static final String TOKEN = "correct-horse-battery-staple";
    private static WebFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = new WebFixture(MariaDbServer.shared(), TOKEN, BuiltInHandlers.all());
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    private static String signIn() throws Exception {
        HttpResponse<String> login = fx.post("/login", "token=" + TOKEN);
        assertThat(login.statusCode()).as(login.body()).isEqualTo(303);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        return cookie.substring(0, cookie.indexOf(';'));
    }

    @Test
    void theJobsApiTakesJobsWithTheBearerTokenOnlyAndSaysWhatIsWrong() throws Exception {
        String bearer = "Bearer " + TOKEN;
        String job = "{\"type\": \"noop\", \"queue\": \"api\", \"payload\": {\"n\": 1}, \"delay\": \"1h\"}";
        assertThat(fx.postJson("/api/jobs", job).statusCode()).as("no token").isEqualTo(401);
        assertThat(fx.postJson("/api/jobs", job, "Authorization", "Bearer wrong-token-of-some-length")
                        .statusCode())
                .isEqualTo(401);
        assertThat(fx.postJson("/api/jobs", job, "Cookie", signIn()).statusCode())
                .as("a browser session is no API token")
                .isEqualTo(401);

        HttpResponse<String> created = fx.postJson("/api/jobs", job, "Authorization", bearer);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long id = Long.parseLong(created.body().replaceAll(".*\"id\":(\\d+).*", "$1"));
        assertThat(created.body()).contains("\"existing\":false");
        assertThat(created.headers().firstValue("Location")).hasValue("/api/jobs/" + id);
        HttpResponse<String> shown = fx.get("/api/jobs/" + id, "Authorization", bearer);
        assertThat(shown.body()).contains("\"state\":\"scheduled\"").contains("\"queue\":\"api\"");
        assertThat(fx.get("/api/jobs/" + id).statusCode()).isEqualTo(401);
        assertThat(fx.get("/api/jobs/987654321", "Authorization", bearer).statusCode())
                .isEqualTo(404);

        String unique = "{\"type\": \"noop\", \"queue\": \"api\", \"unique_key\": \"order-7\", \"delay\": \"1h\"}";
        HttpResponse<String> first = fx.postJson("/api/jobs", unique, "Authorization", bearer);
        HttpResponse<String> again = fx.postJson("/api/jobs", unique, "Authorization", bearer);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body())
                .contains("\"existing\":true")
                .contains(first.body().replaceAll(".*(\"id\":\\d+).*", "$1"));

        String tooBigPayload = "{\"type\": \"noop\", \"payload\": \"" + "x".repeat(fx.queue.maxPayloadBytes()) + "\"}";
        HttpResponse<String> tooBig = fx.postJson("/api/jobs", tooBigPayload, "Authorization", bearer);
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(tooBig.body()).contains("\"error\":");

        HttpResponse<String> openApi = fx.get("/api/openapi.json");
        assertThat(openApi.statusCode()).isEqualTo(200);
        assertThat(openApi.body()).contains("\"openapi\": \"3.1.0\"").contains("/api/jobs/{id}");
    }

    /**
     * Issue 29: batches over HTTP. POST /api/batches enqueues members and callbacks at once; GET /api/batches/{id}
     * answers the contract's fields; a failed member fires on_failure once, retry re-arms and fires it once more;
     * cancel, close and the list; every mistake a JSON 400 (404, 409 where they apply); the dashboard's pages and the
     * link from a member's page to its batch.
     */
    @Test
    void theBatchesApiEnqueuesShowsListsCancelsAndRetriesBatches() throws Exception {
        JsonNode created = api(
                "POST",
                "/api/batches",
                "{\"jobs\": [{\"type\": \"noop\", \"queue\": \"web\"}, {\"type\": \"noop\", \"queue\": \"web\"},"
                        + " {\"type\": \"fail\", \"queue\": \"web\", \"max_attempts\": 1}],"
                        + " \"on_complete\": {\"type\": \"noop\", \"queue\": \"web\"}, \"on_success\": null,"
                        + " \"on_failure\": {\"type\": \"noop\", \"queue\": \"web\"}, \"description\": \"api batch\"}");
        assertThat(status(created)).as(created.toString()).isEqualTo(201);
        long id = created.path("id").asLong();
        assertThat(created.path("jobs")).hasSize(3);
        long member = created.path("jobs").get(0).asLong();
        JsonNode failed = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> api("GET", "/api/batches/" + id, null),
                        b -> b.path("state").asText().equals("failed"));
        List<String> fields = new ArrayList<>();
        failed.fieldNames().forEachRemaining(fields::add);
        fields.remove("_status");
        assertThat(fields).isEqualTo(BatchJson.FIELDS);
        assertThat(fields.subList(0, 9))
                .containsExactly(
                        "id", "state", "total", "pending", "running", "succeeded", "failed", "cancelled", "callbacks");
        assertThat(failed.path("total").asLong()).isEqualTo(3);
        assertThat(failed.path("succeeded").asLong()).isEqualTo(2);
        assertThat(failed.path("failed").asLong()).isEqualTo(1);
        assertThat(failed.path("pending").asLong() + failed.path("running").asLong())
                .isZero();
        assertThat(failed.path("callbacks").path("on_success").isNull()).isTrue();
        assertThat(failed.path("callbacks").path("on_complete").asLong()).isPositive();
        long firstFailure = failed.path("callbacks").path("on_failure").asLong();
        assertThat(firstFailure).isPositive();
        assertThat(failed.path("description").asText()).isEqualTo("api batch");

        JsonNode retried = api("POST", "/api/batches/" + id + "/retry", null);
        assertThat(status(retried)).as(retried.toString()).isEqualTo(200);
        assertThat(retried.path("outcome").asText()).isEqualTo("retried");
        assertThat(retried.path("retried").asLong()).isEqualTo(1);
        JsonNode again = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> api("GET", "/api/batches/" + id, null),
                        b -> b.path("finished_at").isTextual());
        assertThat(again.path("state").asText()).as("it fails as asked again").isEqualTo("failed");
        assertThat(again.path("callbacks").path("on_failure").asLong())
                .as("on_failure re-armed by the retry and fired once more")
                .isNotEqualTo(firstFailure);

        JsonNode waiting = api(
                "POST",
                "/api/batches",
                "{\"jobs\": [{\"type\": \"noop\", \"queue\": \"web\", \"delay\": \"1h\"},"
                        + " {\"type\": \"noop\", \"queue\": \"web\", \"delay\": \"1h\"}],"
                        + " \"on_complete\": {\"type\": \"noop\", \"queue\": \"web\"}}");
        long open = waiting.path("id").asLong();
        assertThat(api("GET", "/api/batches/" + open, null).path("pending").asLong())
                .isEqualTo(2);
        JsonNode closing = api("POST", "/api/batches/" + open + "/close", null);
        assertThat(status(closing)).as("only an open batch closes").isEqualTo(409);
        JsonNode cancelled = api("POST", "/api/batches/" + open + "/cancel", null);
        assertThat(status(cancelled)).as(cancelled.toString()).isEqualTo(200);
        assertThat(cancelled.path("batch").path("state").asText()).isEqualTo("cancelled");
        assertThat(cancelled.path("batch").path("cancelled").asLong()).isEqualTo(2);
        assertThat(cancelled.path("batch").path("callbacks").path("on_complete").asLong())
                .isPositive();
        assertThat(status(api("POST", "/api/batches/" + open + "/cancel", null)))
                .isEqualTo(409);

        JsonNode page = api("GET", "/api/batches?limit=1", null);
        assertThat(page.path("batches")).hasSize(1);
        assertThat(page.path("batches").get(0).path("id").asLong()).isEqualTo(open);
        JsonNode older =
                api("GET", "/api/batches?limit=1&before=" + page.path("next").asLong(), null);
        assertThat(older.path("batches").get(0).path("id").asLong()).isEqualTo(id);

        for (String[] mistake : new String[][] {
            {"{}", "'jobs' is required"},
            {"{\"jobs\": []}", "at least one job"},
            {"{\"jobs\": {\"type\": \"noop\"}}", "'jobs' must be an array"},
            {"{\"jobs\": [{\"type\": \"noop\"}, 5]}", "only job objects"},
            {"{\"jobs\": [{\"typo\": \"noop\"}]}", "jobs[0]: unknown field 'typo'"},
            {"{\"jobs\": [{\"type\": \"noop\", \"unique_key\": \"k\"}]}", "cannot have a unique key"},
            {"{\"jobs\": [{\"type\": \"noop\"}], \"on_success\": {\"type\": \"noop\", \"delay\": 5}}", "no delay"},
            {"{\"jobs\": [{\"type\": \"noop\"}], \"on_failure\": 3}", "'on_failure' must be a job object"},
            {"{\"jobs\": [{\"type\": \"noop\"}], \"then\": {}}", "unknown field 'then'"},
            {"[1]", "must be a JSON object"}
        }) {
            JsonNode refused = api("POST", "/api/batches", mistake[0]);
            assertThat(status(refused)).as(mistake[0]).isEqualTo(400);
            assertThat(refused.path("error").asText()).as(mistake[0]).contains(mistake[1]);
        }
        assertThat(status(api("GET", "/api/batches/987654321", null))).isEqualTo(404);
        assertThat(status(api("POST", "/api/batches/987654321/retry", null))).isEqualTo(404);
        assertThat(api("GET", "/api/batches/abc", null).path("error").asText())
                .isEqualTo(
                        "'abc' is not a batch id: ids are positive whole numbers (as GET /api/batches answers them)");
        assertThat(status(api("POST", "/api/batches/abc/cancel", null))).isEqualTo(400);
        assertThat(status(api("GET", "/api/batches?foo=1", null))).isEqualTo(400);
        assertThat(status(api("GET", "/api/batches?limit=0", null))).isEqualTo(400);
        assertThat(fx.get("/api/batches/" + id).statusCode()).as("no token").isEqualTo(401);

        String cookie = signIn();
        assertThat(fx.get("/batches", "Cookie", cookie).body()).contains("href=\"/batches/" + id + "\"");
        assertThat(fx.get("/batches/" + id, "Cookie", cookie).body())
                .contains("<progress")
                .contains("Retry failed members")
                .contains("href=\"/jobs/"
                        + again.path("callbacks").path("on_failure").asLong() + "\"");
        assertThat(fx.get("/jobs/" + member, "Cookie", cookie).body())
                .as("a member's page links to its batch")
                .contains("href=\"/batches/" + id + "\"");
        assertThat(fx.get("/schedules", "Cookie", cookie).body())
                .as("the navigation")
                .contains("href=\"/batches\"");
    }

    /** Issue 29: chains by job id, workflows enqueued, shown, listed, cancelled and retried; every mistake a 400. */
    @Test
    void theWorkflowsApiTakesDagsAndRefusesCyclesAndUnknownSteps() throws Exception {
        String queue = "wf-" + Long.toHexString(System.nanoTime());
        JsonNode parent =
                api("POST", "/api/jobs", "{\"type\": \"noop\", \"queue\": \"" + queue + "\", \"delay\": \"1h\"}");
        long parentId = parent.path("id").asLong();
        JsonNode child = api(
                "POST",
                "/api/jobs",
                "{\"type\": \"noop\", \"queue\": \"" + queue + "\", \"after\": [" + parentId + "]}");
        assertThat(status(child)).as(child.toString()).isEqualTo(201);
        assertThat(api("GET", "/api/jobs/" + child.path("id").asLong(), null)
                        .path("state")
                        .asText())
                .isEqualTo("waiting");
        for (String[] mistake : new String[][] {
            {"/api/jobs", "{\"type\": \"noop\", \"after\": [987654321987]}", "job 987654321987 does not exist"},
            {"/api/jobs", "{\"type\": \"noop\", \"after\": [\"a\"]}", "array of job ids"},
            {"/api/jobs", "{\"type\": \"noop\", \"after\": 5}", "array of job ids"},
            {
                "/api/workflows",
                "{\"name\": \"w\", \"steps\": [{\"name\": \"a\", \"type\": \"noop\", \"after\": [\"b\"]},"
                        + " {\"name\": \"b\", \"type\": \"noop\", \"after\": [\"a\"]}]}",
                "workflow 'w' has a cycle: a -> b -> a"
            },
            {
                "/api/workflows",
                "{\"name\": \"w\", \"steps\": [{\"name\": \"a\", \"type\": \"noop\", \"after\": [\"x\"]}]}",
                "step 'a' of workflow 'w' runs after 'x', which is not a step of it"
            },
            {"/api/workflows", "{\"name\": \"w\", \"steps\": []}", "'steps' is required"},
            {"/api/workflows", "{\"name\": \"w\", \"steps\": [{\"type\": \"noop\"}]}", "has no 'name'"},
            {
                "/api/workflows",
                "{\"name\": \"w\", \"on_failure\": \"explode\", \"steps\": [{\"name\": \"a\", \"type\": \"noop\"}]}",
                "unknown failure policy 'explode'"
            },
            {
                "/api/workflows",
                "{\"name\": \"w\", \"steps\": [{\"name\": \"a\", \"type\": \"noop\", \"size\": 1}]}",
                "unknown field 'size'"
            },
            {
                "/api/workflows",
                "{\"name\": \"w\", \"steps\": [{\"name\": \"a\", \"type\": \"noop\","
                        + " \"batch\": {\"jobs\": [{\"type\": \"noop\"}]}}]}",
                "step 'a' has both a job"
            },
            {"/api/workflows", "{\"name\": \"w\", \"steps\": [{\"name\": \"a\"}]}", "step 'a' has neither a job"},
            {
                "/api/workflows",
                "{\"name\": \"w\", \"steps\": [{\"name\": \"a\", \"batch\": {\"jobs\": []}}]}",
                "the 'batch' of step 'a': 'jobs' must hold at least one job"
            },
            {
                "/api/workflows",
                "{\"name\": \"w\", \"steps\": [{\"name\": \"a\", \"batch\": 5}]}",
                "the 'batch' of step 'a' must be an object"
            }
        }) {
            JsonNode refused = api("POST", mistake[0], mistake[1]);
            assertThat(status(refused)).as(mistake[1]).isEqualTo(400);
            assertThat(refused.path("error").asText()).as(mistake[1]).contains(mistake[2]);
        }

        JsonNode created = api(
                "POST",
                "/api/workflows",
                "{\"name\": \"order\", \"on_failure\": \"wait\", \"steps\": ["
                        + "{\"name\": \"charge\", \"type\": \"noop\", \"queue\": \"web\"},"
                        + "{\"name\": \"invoice\", \"type\": \"fail\", \"queue\": \"web\", \"max_attempts\": 1,"
                        + " \"after\": [\"charge\"]},"
                        + "{\"name\": \"ship\", \"type\": \"noop\", \"queue\": \"web\", \"after\": [\"charge\"],"
                        + " \"on_failure\": \"continue\"},"
                        + "{\"name\": \"notify\", \"type\": \"noop\", \"queue\": \"web\", \"after\": [\"ship\", \"invoice\"]}]}");
        assertThat(status(created)).as(created.toString()).isEqualTo(201);
        long id = created.path("id").asLong();
        assertThat(created.path("steps").size()).isEqualTo(4);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> api("GET", "/api/workflows/" + id, null)
                        .path("state")
                        .asText()
                        .equals("waiting"));
        JsonNode shown = api("GET", "/api/workflows/" + id, null);
        assertThat(shown.path("id").asLong()).isEqualTo(id);
        assertThat(shown.path("steps").path("charge").path("state").asText()).isEqualTo("succeeded");
        assertThat(shown.path("steps").path("charge").path("job_id").asLong())
                .isEqualTo(created.path("steps").path("charge").asLong());
        assertThat(shown.path("steps").path("charge").has("result")).isTrue();
        assertThat(shown.path("steps").path("invoice").path("state").asText()).isEqualTo("failed");
        assertThat(shown.path("steps").path("notify").path("state").asText()).isEqualTo("waiting");
        JsonNode listed = api("GET", "/api/workflows?limit=5", null);
        assertThat(listed.path("workflows").get(0).path("id").asLong()).isEqualTo(id);
        JsonNode retried = api("POST", "/api/workflows/" + id + "/retry", null);
        assertThat(retried.path("retried").asInt()).isEqualTo(1);
        JsonNode cancelled = api("POST", "/api/workflows/" + id + "/cancel", null);
        assertThat(status(cancelled)).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> api("GET", "/api/workflows/" + id, null)
                        .path("state")
                        .asText()
                        .matches("cancelled|failed"));
        assertThat(status(api("GET", "/api/workflows/987654321", null))).isEqualTo(404);

        // a step that is a batch: a -> import (2 members, on_success) -> c
        JsonNode composed = api(
                "POST",
                "/api/workflows",
                "{\"name\": \"import\", \"steps\": [{\"name\": \"a\", \"type\": \"noop\", \"queue\": \"web\"},"
                        + "{\"name\": \"import\", \"after\": [\"a\"], \"batch\": {\"jobs\": [{\"type\": \"noop\","
                        + " \"queue\": \"web\"}, {\"type\": \"noop\", \"queue\": \"web\"}],"
                        + " \"on_success\": {\"type\": \"noop\", \"queue\": \"web\"}}},"
                        + "{\"name\": \"c\", \"type\": \"noop\", \"queue\": \"web\", \"after\": [\"import\"]}]}");
        assertThat(status(composed)).as(composed.toString()).isEqualTo(201);
        long composedId = composed.path("id").asLong();
        long batchId = composed.path("batches").path("import").asLong();
        assertThat(batchId).isPositive();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> api("GET", "/api/workflows/" + composedId, null)
                        .path("state")
                        .asText()
                        .equals("succeeded"));
        JsonNode step =
                api("GET", "/api/workflows/" + composedId, null).path("steps").path("import");
        assertThat(step.path("state").asText()).isEqualTo("succeeded");
        assertThat(step.path("batch").path("id").asLong()).isEqualTo(batchId);
        assertThat(step.path("batch").path("succeeded").asLong()).isEqualTo(2);
        assertThat(step.path("batch").path("callbacks").path("on_success").isNumber())
                .isTrue();
        assertThat(fx.get("/api/workflows/abc", "Authorization", "Bearer " + TOKEN)
                        .statusCode())
                .isEqualTo(400);
        assertThat(status(api("GET", "/api/workflows?limit=0", null))).isEqualTo(400);

        JsonNode doc = JSON.readTree(fx.get("/api/openapi.json").body());
        for (String call : CALLS) {
            String[] parts = call.split(" ");
            assertThat(doc.path("paths")
                            .path(parts[1])
                            .path(parts[0].toLowerCase(Locale.ROOT))
                            .path("responses")
                            .has(parts[2]))
                    .as("documented: " + call)
                    .isTrue();
        }
    }

    /** One call of the API with the token, as a program makes it; its answer must be JSON whatever the status. */
    private static JsonNode api(String method, String path, String body) throws Exception {
        RawHttp.Response answer = body == null
                ? RawHttp.send(fx.web.port(), method, path, null, "Host: localhost", "Authorization: Bearer " + TOKEN)
                : RawHttp.sendBytes(
                        fx.web.port(),
                        method,
                        path,
                        body.getBytes(StandardCharsets.UTF_8),
                        "Host: localhost",
                        "Authorization: Bearer " + TOKEN,
                        "Content-Type: application/json");
        assertThat(answer.header("Content-Type"))
                .as(method + " " + path + "\n" + answer.raw())
                .startsWith("application/json");
        ObjectNode node = (ObjectNode) JSON.readTree(answer.body());
        node.put("_status", answer.status());
        CALLS.add(method + " " + path.replaceAll("\\?.*", "").replaceAll("/\\d+", "/{id}") + " " + answer.status());
        if (method.equals("POST") && path.equals("/api/jobs") && answer.status() < 300) {
            node.fieldNames().forEachRemaining(ENQUEUED_FIELDS::add);
        }
        return node;
    }

    private static int status(JsonNode answer) {
        return answer.path("_status").asInt();
    }

    /** Every call {@link #api} made: method, documented path and status, checked against the OpenAPI document. */
    private static final List<String> CALLS = new CopyOnWriteArrayList<>();
    /** Every field an enqueue answered (201 and 200), checked against the OpenAPI document's Enqueued schema. */
    private static final Set<String> ENQUEUED_FIELDS = ConcurrentHashMap.newKeySet();

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Issue 27: a job shown by the API carries its payload (as JSON), last error, attempt history and stack trace;
     * enqueue takes a concurrency limit and a delay in seconds; listing with filters and a cursor; cancel, retry and
     * delete with 404 and 409 where they do not apply.
     */
    @Test
    void theApiShowsListsCancelsRetriesAndDeletesJobs() throws Exception {
        String queue = "api-" + Long.toHexString(System.nanoTime());
        JsonNode failing = api(
                "POST",
                "/api/jobs",
                "{\"type\": \"fail\", \"queue\": \"web\", \"max_attempts\": 1,"
                        + " \"payload\": {\"message\": \"card declined\", \"amounts\": [1, 2.50, 123456789012345678901234567890]},"
                        + " \"concurrency_key\": \"account-7\", \"concurrency_limit\": 2}");
        assertThat(status(failing)).as(failing.toString()).isEqualTo(201);
        long failed = failing.path("id").asLong();
        assertThat(MariaDbServer.shared()
                        .queryLong("SELECT COUNT(*) FROM sf_job WHERE id = " + failed
                                + " AND concurrency_key = 'account-7'"))
                .as("the concurrency key is stored")
                .isEqualTo(1);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> api("GET", "/api/jobs/" + failed, null)
                        .path("state")
                        .asText()
                        .equals("failed"));
        JsonNode shown = api("GET", "/api/jobs/" + failed, null);
        assertThat(shown.path("payload").isObject())
                .as("the payload as the JSON it is: " + shown)
                .isTrue();
        assertThat(shown.path("payload").path("message").asText()).isEqualTo("card declined");
        assertThat(shown.path("payload").path("amounts").get(2).bigIntegerValue())
                .as("numbers as stored")
                .isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(shown.path("last_error").asText()).contains("card declined");
        assertThat(shown.path("history")).hasSize(1);
        assertThat(shown.path("history").get(0).path("outcome").asText()).isEqualTo("failed");
        assertThat(shown.path("history").get(0).path("error").asText()).contains("card declined");
        assertThat(shown.path("stack_trace").asText()).contains("JobFailedAsAskedException");

        for (String[] mistake : new String[][] {
            {"{\"type\": \"noop\", \"concurrency_key\": \"k\"}", "go together"},
            {"{\"type\": \"noop\", \"concurrency_limit\": 2}", "go together"},
            {"{\"type\": \"noop\", \"concurrency_key\": \"k\", \"concurrency_limit\": 0}", "at least 1"},
            {"{\"type\": \"noop\", \"delay\": -5}", "must not be negative"},
            {"{\"type\": \"noop\", \"delay\": 1e12}", "'delay' is at most 3650d"},
            {"{\"type\": \"noop\", \"delay\": true}", "a number of seconds"}
        }) {
            JsonNode refused = api("POST", "/api/jobs", mistake[0]);
            assertThat(status(refused)).as(mistake[0]).isEqualTo(400);
            assertThat(refused.path("error").asText()).as(mistake[0]).contains(mistake[1]);
        }
        JsonNode later = api("POST", "/api/jobs", "{\"type\": \"noop\", \"queue\": \"" + queue + "\", \"delay\": 300}");
        assertThat(status(later)).as(later.toString()).isEqualTo(201);
        JsonNode scheduled = api("GET", "/api/jobs/" + later.path("id").asLong(), null);
        assertThat(scheduled.path("state").asText()).isEqualTo("scheduled");
        // what a handler left (result, progress, log: written by the worker, here by hand) in the API and on the page
        long said = later.path("id").asLong();
        MariaDbServer.shared()
                .execute(
                        "INSERT INTO sf_job_result (job_id, result) VALUES (" + said
                                + ", '{\"charge\": \"ch_9\", \"cents\": 1250}')",
                        "UPDATE sf_job SET progress_fraction = 0.25, progress_message = 'a quarter',"
                                + " progress_at = NOW(3) WHERE id = " + said,
                        "INSERT INTO sf_job_log (job_id, attempt, log, log_bytes) VALUES (" + said
                                + ", 1, 'first line\nsecond line\n', 23)");
        JsonNode withNotes = api("GET", "/api/jobs/" + said, null);
        assertThat(withNotes.path("result")).isEqualTo(JSON.readTree("{\"charge\": \"ch_9\", \"cents\": 1250}"));
        assertThat(withNotes.path("progress").path("fraction").asDouble()).isEqualTo(0.25);
        assertThat(withNotes.path("progress").path("message").asText()).isEqualTo("a quarter");
        assertThat(withNotes.path("log").get(0).path("text").asText()).isEqualTo("first line\nsecond line\n");
        assertThat(withNotes.path("log").get(0).path("bytes").asLong()).isEqualTo(23);
        assertThat(fx.get("/jobs/" + said, "Cookie", signIn()).body())
                .contains("<pre id=\"result\">", "&quot;charge&quot; : &quot;ch_9&quot;")
                .contains("<progress", "25.0%: a quarter")
                .contains("<pre class=\"log\">first line\nsecond line\n</pre>");
        assertThat(Duration.between(
                                Instant.parse(scheduled.path("created_at").asText()),
                                Instant.parse(scheduled.path("run_at").asText()))
                        .toSeconds())
                .as("300 s later")
                .isBetween(298L, 302L);
        assertThat(status(api(
                        "POST", "/api/jobs", "{\"type\": \"noop\", \"queue\": \"" + queue + "\", \"timeout\": 1.5}")))
                .isEqualTo(201);
        JsonNode unhandled =
                api("POST", "/api/jobs", "{\"type\": \"nobody-handles-this\", \"queue\": \"web\", \"delay\": \"1h\"}");
        assertThat(unhandled.path("warning").asText())
                .as(unhandled.toString())
                .contains("no live worker handles type nobody-handles-this");
        api("POST", "/api/jobs/" + unhandled.path("id").asLong() + "/cancel", null);

        // listing: filters, a cursor that is stable while jobs are enqueued, the items in the shape of list --json
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(api("POST", "/api/jobs", "{\"type\": \"page\", \"queue\": \"" + queue + "\", \"delay\": \"1h\"}")
                    .path("id")
                    .asLong());
        }
        api("POST", "/api/jobs", "{\"type\": \"other\", \"queue\": \"" + queue + "\", \"delay\": \"1h\"}");
        List<Long> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = api(
                    "GET",
                    "/api/jobs?queue=" + queue + "&type=page&limit=2" + (cursor == null ? "" : "&cursor=" + cursor),
                    null);
            assertThat(status(page)).as(page.toString()).isEqualTo(200);
            assertThat(page.path("total").asLong()).isEqualTo(5 + (pages > 0 ? 2 : 0));
            page.path("jobs").forEach(job -> {
                assertThat(job.path("type").asText()).isEqualTo("page");
                seen.add(job.path("id").asLong());
            });
            if (pages++ == 0) { // enqueued after the first page: they must not shift or repeat the next pages
                api("POST", "/api/jobs", "{\"type\": \"page\", \"queue\": \"" + queue + "\", \"delay\": \"1h\"}");
                api("POST", "/api/jobs", "{\"type\": \"page\", \"queue\": \"" + queue + "\", \"delay\": \"1h\"}");
            }
            cursor = page.path("next").isNull() ? null : page.path("next").asText();
        } while (cursor != null);
        assertThat(seen)
                .as("newest first, each once, none enqueued later")
                .containsExactlyElementsOf(
                        ids.stream().sorted(Comparator.reverseOrder()).toList());
        assertThat(pages).isEqualTo(3);
        JsonNode byRunTime = api("GET", "/api/jobs?queue=" + queue + "&state=scheduled&type=page&limit=10", null);
        assertThat(byRunTime.path("jobs")).hasSize(7);
        JsonNode item = byRunTime.path("jobs").get(0);
        assertThat(item.path("payload").isMissingNode())
                .as("a list item leaves out the heavy fields")
                .isTrue();
        JsonNode one = api("GET", "/api/jobs/" + item.path("id").asLong(), null);
        item.fieldNames()
                .forEachRemaining(name -> assertThat(one.get(name)).as(name).isEqualTo(item.get(name)));
        for (String[] mistake : new String[][] {
            {"state=bogus", "unknown state 'bogus'"},
            {"limit=0", "limit"},
            {"limit=many", "limit"},
            {"cursor=abc", "cursor"},
            {"state=scheduled&cursor=12", "cursor"},
            {"cursor=1700000000000-5", "cursor"},
            // a name no job can have, and a parameter the listing does not take: refused, never an empty or full list
            {"queue=a:b", "queue: a queue name of 1 to 64 characters"},
            {"type=x%20y", "type: a job type of 1 to 128"},
            {"foo=1", "unknown query parameter 'foo': GET /api/jobs takes state, queue, type, search, limit, cursor"},
            {"queue=web&Queue=web", "unknown query parameter 'Queue'"}
        }) {
            JsonNode refused = api("GET", "/api/jobs?" + mistake[0], null);
            assertThat(status(refused)).as(mistake[0]).isEqualTo(400);
            assertThat(refused.path("error").asText()).as(mistake[0]).contains(mistake[1]);
        }

        // cancel, retry, delete: 404 unknown, 409 where the change does not apply
        long waiting = ids.get(0);
        JsonNode retryWaiting = api("POST", "/api/jobs/" + waiting + "/retry", null);
        assertThat(status(retryWaiting)).isEqualTo(409);
        assertThat(retryWaiting.path("error").asText()).contains("is scheduled").contains("only failed jobs");
        JsonNode cancelled = api("POST", "/api/jobs/" + waiting + "/cancel", null);
        assertThat(status(cancelled)).as(cancelled.toString()).isEqualTo(200);
        assertThat(cancelled.path("outcome").asText()).isEqualTo("cancelled");
        assertThat(cancelled.path("job").path("state").asText()).isEqualTo("cancelled");
        JsonNode again = api("POST", "/api/jobs/" + waiting + "/cancel", null);
        assertThat(status(again)).isEqualTo(409);
        assertThat(again.path("error").asText()).contains("is cancelled");
        assertThat(status(api("DELETE", "/api/jobs/" + waiting, null))).isEqualTo(200);
        for (String[] call : new String[][] {{"GET", ""}, {"POST", "/cancel"}, {"POST", "/retry"}, {"DELETE", ""}}) {
            RawHttp.Response notAnId = RawHttp.send(
                    fx.web.port(),
                    call[0],
                    "/api/jobs/abc" + call[1],
                    null,
                    "Host: localhost",
                    "Authorization: Bearer " + TOKEN);
            assertThat(notAnId.status())
                    .as(call[0] + " /api/jobs/abc" + call[1])
                    .isEqualTo(400);
            assertThat(JSON.readTree(notAnId.body()).path("error").asText())
                    .isEqualTo("'abc' is not a job id: ids are positive whole numbers (as GET /api/jobs answers them)");
        }
        assertThat(status(api("GET", "/api/jobs/" + waiting, null))).isEqualTo(404);
        for (String[] call : new String[][] {{"POST", "/cancel"}, {"POST", "/retry"}, {"DELETE", ""}}) {
            JsonNode unknown = api(call[0], "/api/jobs/" + waiting + call[1], null);
            assertThat(status(unknown)).as(call[0] + call[1]).isEqualTo(404);
            assertThat(unknown.path("error").asText()).contains("no job " + waiting);
        }

        JsonNode retried = api("POST", "/api/jobs/" + failed + "/retry", null);
        assertThat(status(retried)).as(retried.toString()).isEqualTo(200);
        assertThat(retried.path("outcome").asText()).isEqualTo("retried");

        long sleeping = api(
                        "POST", "/api/jobs", "{\"type\": \"sleep\", \"queue\": \"web\", \"payload\": {\"ms\": 60000}}")
                .path("id")
                .asLong();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> api("GET", "/api/jobs/" + sleeping, null)
                        .path("state")
                        .asText()
                        .equals("running"));
        JsonNode notWhileRunning = api("DELETE", "/api/jobs/" + sleeping, null);
        assertThat(status(notWhileRunning)).isEqualTo(409);
        assertThat(notWhileRunning.path("error").asText())
                .contains("is running")
                .contains("cancel it first");
        JsonNode stopping = api("POST", "/api/jobs/" + sleeping + "/cancel", null);
        assertThat(status(stopping)).as(stopping.toString()).isEqualTo(202);
        assertThat(stopping.path("outcome").asText()).isEqualTo("stop_requested");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> api("GET", "/api/jobs/" + sleeping, null)
                        .path("state")
                        .asText()
                        .equals("cancelled"));

        // the rights of the API: the token, no cross-site state change, nothing changed by a read-only server
        for (String[] call : new String[][] {
            {"GET", "/api/jobs"},
            {"POST", "/api/jobs/" + sleeping + "/cancel"},
            {"POST", "/api/jobs/" + sleeping + "/retry"},
            {"DELETE", "/api/jobs/" + sleeping}
        }) {
            RawHttp.Response anonymous =
                    RawHttp.send(fx.web.port(), call[0], call[1], null, "Host: localhost", "Cookie: " + signIn());
            assertThat(anonymous.status())
                    .as("a session is no API token: " + call[1])
                    .isEqualTo(401);
        }
        assertThat(RawHttp.send(
                                fx.web.port(),
                                "DELETE",
                                "/api/jobs/" + sleeping,
                                null,
                                "Host: localhost",
                                "Authorization: Bearer " + TOKEN,
                                "Sec-Fetch-Site: cross-site")
                        .status())
                .as("cross-site")
                .isEqualTo(403);
        try (WebServer readOnly = WebServer.start(
                new WebSettings("127.0.0.1", 0, TOKEN, List.of(), "", true), fx.queue, fx.registry, null)) {
            for (String[] call : new String[][] {
                {"POST", "/api/jobs/" + sleeping + "/cancel"},
                {"POST", "/api/jobs/" + failed + "/retry"},
                {"DELETE", "/api/jobs/" + sleeping}
            }) {
                RawHttp.Response refused = RawHttp.send(
                        readOnly.port(), call[0], call[1], null, "Host: localhost", "Authorization: Bearer " + TOKEN);
                assertThat(refused.status()).as("read-only: " + call[1]).isEqualTo(403);
                assertThat(refused.body()).contains("read-only");
            }
            assertThat(RawHttp.send(
                                    readOnly.port(),
                                    "GET",
                                    "/api/jobs?limit=1",
                                    null,
                                    "Host: localhost",
                                    "Authorization: Bearer " + TOKEN)
                            .status())
                    .as("reading is allowed")
                    .isEqualTo(200);
        }
        assertThat(status(api("GET", "/api/jobs/" + sleeping, null)))
                .as("the job outlived every refused change")
                .isEqualTo(200);
        theOpenApiDocumentDescribesWhatTheApiAnswers(shown, item);
    }

    /**
     * The OpenAPI document against the server: every call made above is a documented path, method and status; the
     * Job and JobSummary schemas list exactly the fields of a job and of a list item.
     */
    private static void theOpenApiDocumentDescribesWhatTheApiAnswers(JsonNode job, JsonNode item) throws Exception {
        JsonNode doc = JSON.readTree(fx.get("/api/openapi.json").body());
        for (String call : CALLS) {
            String[] parts = call.split(" ");
            JsonNode operation = doc.path("paths").path(parts[1]).path(parts[0].toLowerCase(Locale.ROOT));
            assertThat(operation.isObject())
                    .as("documented: " + parts[0] + " " + parts[1])
                    .isTrue();
            assertThat(operation.path("responses").has(parts[2]))
                    .as("status documented: " + call)
                    .isTrue();
        }
        List<String> jobFields = new ArrayList<>();
        job.fieldNames().forEachRemaining(name -> {
            if (!name.equals("_status")) {
                jobFields.add(name);
            }
        });
        assertThat(JSON.convertValue(doc.at("/components/schemas/Job/required"), List.class))
                .isEqualTo(jobFields)
                .isEqualTo(JobJson.FIELDS);
        List<String> itemFields = new ArrayList<>();
        item.fieldNames().forEachRemaining(itemFields::add);
        assertThat(JSON.convertValue(doc.at("/components/schemas/JobSummary/required"), List.class))
                .isEqualTo(itemFields)
                .isEqualTo(JobJson.SUMMARY);
        assertThat(ENQUEUED_FIELDS).as("an enqueue's answers").contains("id", "existing", "warning");
        ENQUEUED_FIELDS.stream()
                .filter(field -> !field.equals("_status"))
                .forEach(field -> assertThat(doc.at("/components/schemas/Enqueued/properties")
                                .has(field))
                        .as("Enqueued documents " + field)
                        .isTrue());
        doc.at("/components/schemas/Job/required")
                .forEach(field -> assertThat(
                                doc.at("/components/schemas/Job/properties").has(field.asText()))
                        .as(field.asText())
                        .isTrue());
    }

    /**
     * Issue 26: every mistake in a body sent to the API is a 4xx with a JSON {@code error}, never a 5xx, HTML or plain
     * text. Each row: content type, body (or a declared length only), expected status, words of the error.
     */
    @Test
    void everyApiMistakeIsAJsonErrorNeverA5xx() throws Exception {
        String bearer = "Authorization: Bearer " + TOKEN;
        String json = "Content-Type: application/json";
        int huge = fx.queue.maxPayloadBytes() + 100_000;
        Object[][] table = {
            {json, "{\"type\": ", 400, "not valid JSON"},
            {json, "[1, 2]", 400, "must be a JSON object"},
            {json, "{\"payload\": {}}", 400, "'type' is required"},
            {json, "{\"type\": \"noop\", \"max_attempts\": 0}", 400, "'max_attempts' must be at least 1, got 0"},
            {json, "{\"type\": \"noop\", \"max_attempts\": 1e3}", 400, "must be a whole number"},
            {json, "{\"type\": \"noop\", \"priority\": 99999999999}", 400, "must be a whole number"},
            {json, "{\"type\": \"noop\", \"delay\": \"soon\"}", 400, "is not a duration"},
            {json, "{\"type\": \"noop\", \"delay\": \"999999999d\"}", 400, "'delay' is at most 3650d"},
            {json, "{\"type\": \"noop\", \"delay\": \"99999999999999999999999d\"}", 400, "is not a duration"},
            {json, "{\"type\": \"noop\", \"timeout\": \"999999999999999d\"}", 400, "is not a duration"},
            {json, "{\"type\": \"noop\", \"run_at\": \"tomorrow\"}", 400, "could not be parsed"},
            {json, "{\"type\": \"noop\", \"run_at\": \"1970-01-01T00:00:00Z\"}", 400, "'run_at' must lie between"},
            {json, "{\"type\": \"noop\", \"run_at\": \"+999999999-12-31T23:59:59Z\"}", 400, "'run_at' must lie between"
            },
            {json, "{\"type\": \"noop\", \"delay\": \"1s\", \"run_at\": \"2030-01-01T00:00:00Z\"}", 400, "not both"},
            {json, "{\"type\": \"noop\", \"queue\": \"\"}", 400, "a queue name of 1 to 64 characters"},
            {json, "{\"type\": \"noop\", \"queue\": null}", 400, "'queue' must be a string"},
            {json, "{\"type\": \"noop\", \"unique_key\": \"" + "k".repeat(192) + "\"}", 400, "at most 191 characters"},
            {json, "{\"type\": \"noop\", \"sneaky\": 1}", 400, "unknown field 'sneaky'"},
            {json, "{\"type\": \"noop\", \"payload\": {\"n\": 1e999999999}}", 400, "too large to be stored"},
            {json, "{\"type\": \"noop\", \"payload\": [-1e400]}", 400, "too large to be stored"},
            {json, "{\"type\": \"noop\", \"payload\": {}} {\"type\": \"other\"}", 400, "nothing after it"},
            {json, "{\"type\": \"noop\"} garbage", 400, "not valid JSON"},
            {json, "{\"type\": \"noop\", \"type\": \"other\"}", 400, "Duplicate field 'type'"},
            {json, "{\"type\": \"noop\", \"payload\": {\"a\": 1, \"a\": 2}}", 400, "Duplicate field 'a'"},
            {json, "{\"type\": \"noop\", \"payload\": " + "[".repeat(300) + "]".repeat(300) + "}", 400, "nesting depth"
            },
            {"Content-Type: application/jsonfoo", "{\"type\": \"noop\"}", 415, "Content-Type: application/json"},
            {
                "Content-Type: application/json; charset=latin1",
                "{\"type\": \"noop\"}",
                415,
                "Content-Type: application/json"
            },
            {"Content-Type: text/plain", "{\"type\": \"noop\"}", 415, "Content-Type: application/json"},
            {"X-No-Content-Type: 1", "{\"type\": \"noop\"}", 415, "Content-Type: application/json"},
            // declared only: the server must refuse by the declared length without reading the body
            {json, huge, 413, "too large"},
        };
        for (Object[] row : table) {
            RawHttp.Response answer = row[1] instanceof Integer length
                    ? RawHttp.send(
                            fx.web.port(),
                            "POST",
                            "/api/jobs",
                            null,
                            "Host: localhost",
                            bearer,
                            (String) row[0],
                            "Content-Length: " + length)
                    : RawHttp.sendBytes(
                            fx.web.port(),
                            "POST",
                            "/api/jobs",
                            ((String) row[1]).getBytes(StandardCharsets.UTF_8),
                            "Host: localhost",
                            bearer,
                            (String) row[0]);
            String what = row[0] + " "
                    + (row[1] instanceof String body && body.length() > 200 ? body.substring(0, 200) : row[1]);
            assertThat(answer.status()).as(what + "\n" + answer.raw()).isEqualTo(row[2]);
            assertThat(answer.header("Content-Type")).as(what).startsWith("application/json");
            assertThat(new ObjectMapper().readTree(answer.body()).path("error").asText())
                    .as(what)
                    .contains((String) row[3])
                    .doesNotContain("Exception");
        }
        // the same fields done right are taken, with the payload as sent (numbers as written, not made doubles)
        RawHttp.Response taken = RawHttp.sendBytes(
                fx.web.port(),
                "POST",
                "/api/jobs",
                ("{\"type\": \"noop\", \"queue\": \"api\","
                                + " \"payload\": {\"n\": 0.10000000000000000001, \"big\": 123456789012345678901234567890, \"s\": \"\\u00e9\"},"
                                + " \"run_at\": \"2037-12-31T00:00:00Z\", \"timeout\": \"3650d\"}")
                        .getBytes(StandardCharsets.UTF_8),
                "Host: localhost",
                bearer,
                "Content-Type: application/json; charset=UTF-8");
        assertThat(taken.status()).as(taken.raw()).isEqualTo(201);
        long id = new ObjectMapper().readTree(taken.body()).path("id").asLong();
        assertThat(fx.queue.browser().payload(id).orElseThrow())
                .contains("123456789012345678901234567890")
                .contains("\"s\":\"é\"");
    }

    /**
     * Issue 26: slow request bodies took every page permit before their body was read (POST /login, needing no token),
     * and pages and the API answered 503 for as long as they trickled. Bodies are now read before any permit is taken,
     * and cut (408) when they do not arrive in time.
     */
    @Test
    void slowBodiesHoldNoPermitAndAreCutWith408() throws Exception {
        String cookie = signIn();
        int port = fx.web.port();
        List<RawHttp.SlowBody> slow = new ArrayList<>();
        try {
            for (int i = 0; i < Router.CONCURRENT_PAGES + Router.CONCURRENT_PUBLIC + 2; i++) {
                slow.add(new RawHttp.SlowBody(
                        port, "/login", 60_000, "Content-Type: application/x-www-form-urlencoded"));
            }
            for (int i = 0; i < Router.CONCURRENT_PAGES + 2; i++) { // a token holder's slow enqueues
                slow.add(new RawHttp.SlowBody(
                        port,
                        "/api/jobs",
                        100_000,
                        "Content-Type: application/json",
                        "Authorization: Bearer " + TOKEN));
            }
            for (RawHttp.SlowBody body : slow) {
                body.trickle();
            }
            // well past the 2 s a page waits for a permit, with the bodies still trickling
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            int rounds = 0;
            while (System.nanoTime() < until || rounds < 3) {
                slow.forEach(RawHttp.SlowBody::trickle);
                assertThat(fx.get("/login").statusCode()).as("the login page").isEqualTo(200);
                assertThat(fx.get("/", "Cookie", cookie).statusCode())
                        .as("a signed-in page")
                        .isEqualTo(200);
                assertThat(fx.get("/api/jobs/987654321", "Authorization", "Bearer " + TOKEN)
                                .statusCode())
                        .as("the API")
                        .isEqualTo(404);
                assertThat(fx.get("/healthz").statusCode()).isEqualTo(200);
                rounds++;
            }
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        slow.forEach(RawHttp.SlowBody::trickle);
                        return slow.stream()
                                .allMatch(b ->
                                        b.answer() != null && !b.answer().body().isEmpty());
                    });
            for (RawHttp.SlowBody body : slow) {
                RawHttp.Response cut = body.answer();
                assertThat(cut.status()).as(cut.raw()).isEqualTo(408);
                assertThat(cut.raw()).doesNotContain("Server Error");
            }
            assertThat(slow.get(slow.size() - 1).answer().header("Content-Type"))
                    .as("on the API, JSON")
                    .startsWith("application/json");
            assertThat(slow.get(slow.size() - 1).answer().body()).contains("\"error\":");
        } finally {
            for (RawHttp.SlowBody body : slow) {
                body.close();
            }
        }
        assertThat(fx.get("/", "Cookie", cookie).statusCode()).isEqualTo(200);
    }

    /** Issue 26: wrong Bearer tokens count with wrong logins, and an address held back cannot go on through the header. */
    @Test
    void wrongBearerTokensAreThrottledWithTheLoginForm() throws Exception {
        try (WebServer web = WebServer.start(new WebSettings("127.0.0.1", 0, TOKEN), fx.queue, fx.registry, null)) {
            int port = web.port();
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < LoginThrottle.FREE_FAILURES + 3; i++) {
                statuses.add(RawHttp.send(
                                port,
                                "GET",
                                "/api/jobs/1",
                                null,
                                "Host: localhost",
                                "Authorization: Bearer wrong-guess-number-" + i,
                                "X-Forwarded-For: 10.9.9." + i)
                        .status());
            }
            assertThat(statuses)
                    .as("guesses after the free ones, whatever X-Forwarded-For says (no proxy is trusted)")
                    .startsWith(401, 401, 401, 401, 401)
                    .contains(429);
            RawHttp.Response held =
                    RawHttp.send(port, "GET", "/api/jobs/1", null, "Host: localhost", "Authorization: Bearer " + TOKEN);
            assertThat(held.status())
                    .as("even the right token waits: guessing cannot win by luck")
                    .isEqualTo(429);
            assertThat(held.header("Retry-After")).isNotNull();
            assertThat(held.body()).contains("\"error\":");
            assertThat(RawHttp.send(port, "POST", "/login", "token=" + TOKEN, "Host: localhost")
                            .status())
                    .as("the login form shares the count")
                    .isEqualTo(429);
            assertThat(RawHttp.send(port, "GET", "/metrics", null, "Host: localhost", "Authorization: Bearer " + TOKEN)
                            .status())
                    .isEqualTo(429);
            assertThat(RawHttp.send(port, "GET", "/healthz", null, "Host: localhost", "Authorization: Bearer x")
                            .status())
                    .as("probes are never held back")
                    .isEqualTo(200);
        }
        try (WebServer web = WebServer.start(new WebSettings("127.0.0.1", 0, TOKEN), fx.queue, fx.registry, null)) {
            for (int i = 0; i < LoginThrottle.FREE_FAILURES + 1; i++) {
                RawHttp.send(web.port(), "POST", "/login", "token=guess-" + i, "Host: localhost");
            }
            assertThat(RawHttp.send(
                                    web.port(),
                                    "GET",
                                    "/api/jobs/1",
                                    null,
                                    "Host: localhost",
                                    "Authorization: Bearer nope-nope-nope-nope")
                            .status())
                    .as("locked out of the form, the header is no way around")
                    .isEqualTo(429);
        }
        try (WebServer web = WebServer.start(new WebSettings("127.0.0.1", 0, TOKEN), fx.queue, fx.registry, null)) {
            // a foreign host name is no way around either: the guess is counted before the host is judged
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < LoginThrottle.FREE_FAILURES + 3; i++) {
                statuses.add(RawHttp.send(
                                web.port(),
                                "GET",
                                "/api/jobs/1",
                                null,
                                "Host: evil.example",
                                "Authorization: Bearer wrong-guess-number-" + i)
                        .status());
            }
            assertThat(statuses)
                    .as("guesses under a foreign host name")
                    .contains(429)
                    .doesNotContain(200);
            assertThat(RawHttp.send(
                                    web.port(),
                                    "GET",
                                    "/api/jobs/1",
                                    null,
                                    "Host: evil.example",
                                    "Authorization: Bearer " + TOKEN)
                            .status())
                    .as("the right token is not told apart while the address waits")
                    .isEqualTo(429);
        }
        try (WebServer web = WebServer.start(new WebSettings("127.0.0.1", 0, TOKEN), fx.queue, fx.registry, null)) {
            for (String[] call : new String[][] {
                {"GET", "/api/nope", "404"},
                {"GET", "/api/jobs/abc", "400"},
                {"PUT", "/api/jobs/1", "405"},
                {"GET", "/api/jobs/1/cancel", "405"}
            }) {
                RawHttp.Response r = RawHttp.send(
                        web.port(), call[0], call[1], null, "Host: localhost", "Authorization: Bearer " + TOKEN);
                assertThat(r.status()).as(call[0] + " " + call[1]).isEqualTo(Integer.parseInt(call[2]));
                assertThat(r.body()).as("the API answers JSON: " + call[1]).contains("\"error\":");
            }
            RawHttp.Response foreign = RawHttp.send(web.port(), "GET", "/api/jobs/1", null, "Host: evil.example");
            assertThat(foreign.status()).isEqualTo(421);
            assertThat(foreign.body()).contains("\"error\":");
        }
    }

    /**
     * Issue 26: behind a trusted proxy, one guessing client is held back, not everyone; the session cookie is scoped to
     * the base path.
     */
    @Test
    void behindATrustedProxyOneGuesserLocksOutOnlyItself() throws Exception {
        WebSettings settings =
                new WebSettings("127.0.0.1", 0, TOKEN, List.of(), "/ops/steadfast", false, List.of("127.0.0.1"));
        try (WebServer web = WebServer.start(settings, fx.queue, fx.registry, null)) {
            int port = web.port();
            int refused = 0;
            for (int i = 0; i < LoginThrottle.FREE_FAILURES + 2; i++) {
                if (RawHttp.send(
                                        port,
                                        "POST",
                                        "/ops/steadfast/login",
                                        "token=guess-" + i,
                                        "Host: localhost",
                                        "X-Forwarded-For: 203.0.113.66")
                                .status()
                        == 429) {
                    refused++;
                }
            }
            assertThat(refused).isGreaterThan(0);
            assertThat(RawHttp.send(
                                    port,
                                    "POST",
                                    "/ops/steadfast/login",
                                    "token=" + TOKEN,
                                    "Host: localhost",
                                    "X-Forwarded-For: 1.2.3.4, 203.0.113.66")
                            .status())
                    .as("a spoofed left entry changes nothing")
                    .isEqualTo(429);
            RawHttp.Response other = RawHttp.send(
                    port,
                    "POST",
                    "/ops/steadfast/login",
                    "token=" + TOKEN,
                    "Host: localhost",
                    "X-Forwarded-For: 203.0.113.7");
            assertThat(other.status())
                    .as("another client behind the same proxy")
                    .isEqualTo(303);
            assertThat(other.header("Set-Cookie"))
                    .contains("; Path=/ops/steadfast;")
                    .doesNotContain("Path=/;");
        }
    }

    @Test
    void everythingButTheProbesAndTheLoginPageNeedsTheToken() throws Exception {
        assertThat(fx.get("/healthz").statusCode()).isEqualTo(200);
        assertThat(fx.get("/readyz").statusCode()).isEqualTo(200);
        assertThat(fx.get("/login").statusCode()).isEqualTo(200);
        assertThat(fx.get("/static/dashboard.css").body())
                .as("the login page is styled")
                .contains("--accent");
        assertThat(fx.get("/login").body())
                .as("issue 27: not signed in, nothing to sign out of")
                .doesNotContain("Sign out");
        assertThat(fx.get("/", "Cookie", signIn()).body())
                .as("signed in with a session")
                .contains("href=\"/logout\">Sign out</a>");
        assertThat(fx.get("/", "Authorization", "Bearer " + TOKEN).body())
                .as("a Bearer caller has no session")
                .doesNotContain("Sign out");

        HttpResponse<String> anonymous = fx.get("/");
        assertThat(anonymous.statusCode()).isEqualTo(303);
        assertThat(anonymous.headers().firstValue("Location")).hasValue("/login");
        assertThat(fx.get("/jobs/1/payload").statusCode()).isEqualTo(303);
        assertThat(fx.get("/metrics").statusCode()).isEqualTo(401);
        assertThat(fx.get("/metrics", "Authorization", "Bearer wrong-token-of-some-length")
                        .statusCode())
                .isEqualTo(401);
        assertThat(fx.post("/failed/retry", "all=1").statusCode()).isEqualTo(401);
        assertThat(fx.get("/metrics", "Authorization", "Bearer " + TOKEN).statusCode())
                .isEqualTo(200);
        assertThat(fx.get("/", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        assertThat(fx.get("/").body()).doesNotContain(TOKEN);
    }

    @Test
    void aSessionIsRandomTellsNothingAboutTheTokenAndEndsAtLogout() throws Exception {
        assertThat(fx.post("/login", "token=nope-nope-nope-nope").statusCode()).isEqualTo(401);
        HttpResponse<String> login = fx.post("/login", "token=" + TOKEN);
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie)
                .startsWith("steadfast_session=")
                .contains("HttpOnly")
                .contains("SameSite=Strict")
                .contains("Max-Age=86400")
                .doesNotContain("Secure");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String second = signIn();
        assertThat(second).as("each login gets its own session").isNotEqualTo(cookie);
        String value = cookie.substring(cookie.indexOf('=') + 1);
        assertThat(value)
                .hasSizeGreaterThanOrEqualTo(43)
                .doesNotContain(TOKEN)
                .isNotEqualTo(HexFormat.of()
                        .formatHex(
                                MessageDigest.getInstance("SHA-256").digest(TOKEN.getBytes(StandardCharsets.UTF_8))));
        assertThat(fx.get("/", "Cookie", cookie).statusCode()).isEqualTo(200);
        assertThat(fx.get("/", "Cookie", "steadfast_session=forged").statusCode())
                .isEqualTo(303);

        String logoutPage = fx.get("/logout", "Cookie", cookie).body();
        String csrf = logoutPage.substring(logoutPage.indexOf("name=\"csrf\" value=\"") + 19);
        csrf = csrf.substring(0, csrf.indexOf('"'));
        assertThat(fx.post("/logout", "csrf=wrong", "Cookie", cookie).statusCode())
                .as("logout needs the CSRF token")
                .isEqualTo(403);
        HttpResponse<String> logout = fx.post("/logout", "csrf=" + csrf, "Cookie", cookie);
        assertThat(logout.statusCode()).isEqualTo(303);
        assertThat(logout.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
        assertThat(logout.headers().firstValue("Location")).hasValue("/login?done=signed_out");
        assertThat(fx.get("/login?done=signed_out").body()).contains("Signed out");
        assertThat(fx.get("/", "Cookie", cookie).statusCode())
                .as("the session is gone on the server")
                .isEqualTo(303);
        assertThat(fx.get("/", "Cookie", second).statusCode())
                .as("other sessions live on")
                .isEqualTo(200);
    }

    @Test
    void theCookieIsSecureBehindAnHttpsProxy() throws Exception {
        HttpResponse<String> login = fx.post("/login", "token=" + TOKEN, "X-Forwarded-Proto", "https");
        assertThat(login.headers().firstValue("Set-Cookie").orElseThrow()).contains("; Secure");
    }

    @Test
    void theTokenIsNeverTakenFromAUrl() throws Exception {
        HttpResponse<String> viaQuery = fx.post("/login?token=" + TOKEN, "");
        assertThat(viaQuery.statusCode()).isEqualTo(400);
        assertThat(viaQuery.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(fx.get("/?token=" + TOKEN).statusCode()).isEqualTo(303);
    }

    @Test
    void aBearerHeaderWinsOverACookie() throws Exception {
        String cookie = signIn();
        assertThat(fx.get("/metrics", "Cookie", cookie, "Authorization", "Bearer wrong-token-of-some-length")
                        .statusCode())
                .as("a wrong header is refused even next to a valid cookie")
                .isEqualTo(401);
        assertThat(fx.get("/metrics", "Cookie", "steadfast_session=forged", "Authorization", "Bearer " + TOKEN)
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void guessingIsSlowedDown() throws Exception {
        // a dashboard of its own: its throttle must not hold back the other tests' logins from the same address
        try (WebServer web = WebServer.start(new WebSettings("127.0.0.1", 0, TOKEN), fx.queue, fx.registry, null)) {
            int refused = 0;
            for (int i = 0; i < LoginThrottle.FREE_FAILURES + 2; i++) {
                if (RawHttp.send(web.port(), "POST", "/login", "token=guess-" + i, "Host: localhost")
                                .status()
                        == 429) {
                    refused++;
                }
            }
            assertThat(refused)
                    .as("wrong guesses after the free ones are answered 429")
                    .isGreaterThan(0);
            RawHttp.Response held = RawHttp.send(web.port(), "POST", "/login", "token=" + TOKEN, "Host: localhost");
            assertThat(held.status())
                    .as("even the right token waits its turn: guessing cannot win by luck")
                    .isEqualTo(429);
            assertThat(held.header("Retry-After")).isNotNull();
            assertThat(RawHttp.send(web.port(), "GET", "/healthz", null, "Host: localhost")
                            .status())
                    .isEqualTo(200);
        }
    }

    @Test
    void forgedHostNamesAreRefusedOnEveryPageButTheProbes() throws Exception {
        String cookie = signIn();
        int port = fx.web.port();
        for (String path : new String[] {"/", "/failed", "/login", "/jobs?state=pending", "/static/dashboard.css"}) {
            RawHttp.Response forged =
                    RawHttp.send(port, "GET", path, null, "Host: attacker.example:" + port, "Cookie: " + cookie);
            assertThat(forged.status()).as(path).isEqualTo(421);
            assertThat(forged.body()).doesNotContain("csrf");
        }
        assertThat(RawHttp.send(port, "GET", "/healthz", null, "Host: 10.1.2.3:" + port)
                        .status())
                .as("a kubelet probes by address")
                .isEqualTo(200);
        assertThat(RawHttp.send(port, "GET", "/", null, "Host: localhost:" + port, "Cookie: " + cookie)
                        .status())
                .isEqualTo(200);
        assertThat(RawHttp.send(port, "GET", "/", null, "Host: 127.0.0.1:" + port, "Cookie: " + cookie)
                        .status())
                .isEqualTo(200);
        assertThat(RawHttp.send(port, "GET", "/", null, "Host: [::1]:" + port, "Cookie: " + cookie)
                        .status())
                .isEqualTo(200);
        assertThat(RawHttp.send(
                                port,
                                "GET",
                                "/metrics",
                                null,
                                "Host: prometheus-sees-me-as.example",
                                "Authorization: Bearer " + TOKEN)
                        .status())
                .as("a Bearer header is no ambient credential: rebinding cannot send it")
                .isEqualTo(200);
    }

    @Test
    void aRebindingPageCannotActEvenWithAStolenCsrfToken() throws Exception {
        String cookie = signIn();
        String csrf = fx.csrf("Cookie", cookie);
        int port = fx.web.port();
        RawHttp.Response rebound = RawHttp.send(
                port,
                "POST",
                "/failed/retry?all=1",
                "csrf=" + csrf,
                "Host: attacker.example:" + port,
                "Origin: http://attacker.example:" + port,
                "Cookie: " + cookie);
        assertThat(rebound.status()).isEqualTo(421);
        RawHttp.Response crossSite = RawHttp.send(
                port,
                "POST",
                "/failed/retry?all=1",
                "csrf=" + csrf,
                "Host: localhost:" + port,
                "Origin: http://attacker.example",
                "Cookie: " + cookie);
        assertThat(crossSite.status()).isEqualTo(403);
        RawHttp.Response nullOrigin = RawHttp.send(
                port,
                "POST",
                "/failed/retry?all=1",
                "csrf=" + csrf,
                "Host: localhost:" + port,
                "Origin: null",
                "Cookie: " + cookie);
        assertThat(nullOrigin.status()).isEqualTo(403);
        RawHttp.Response sameSite = RawHttp.send(
                port,
                "POST",
                "/failed/retry?all=1",
                "csrf=" + csrf + "&confirmed=1",
                "Host: localhost:" + port,
                "Origin: http://localhost:" + port,
                "Cookie: " + cookie);
        assertThat(sameSite.status()).as(sameSite.raw()).isEqualTo(303);
        assertThat(fx.csrf("Cookie", signIn()))
                .as("each session has its own CSRF token")
                .isNotEqualTo(csrf);
    }

    /**
     * Issue 27: a job of a type no live worker handles is still taken, with a "warning" that says so (a handled one has
     * none), and the overview names it in a notice until a worker for it comes.
     */
    @Test
    void aJobNoLiveWorkerHandlesIsTakenWithAWarningAndNamedOnTheOverview() throws Exception {
        String bearer = "Bearer " + TOKEN;
        HttpResponse<String> typo =
                fx.postJson("/api/jobs", "{\"type\": \"noop-typo\", \"queue\": \"default\"}", "Authorization", bearer);
        assertThat(typo.statusCode()).as(typo.body()).isEqualTo(201);
        JsonNode answer = new ObjectMapper().readTree(typo.body());
        assertThat(answer.path("warning").asText())
                .startsWith("no live worker handles type noop-typo in queue default (they handle ")
                .contains("noop")
                .contains("check the type's spelling");
        HttpResponse<String> handled =
                fx.postJson("/api/jobs", "{\"type\": \"noop\", \"queue\": \"web\"}", "Authorization", bearer);
        assertThat(handled.statusCode()).isEqualTo(201);
        assertThat(handled.body()).doesNotContain("warning");
        HttpResponse<String> unserved = fx.postJson(
                "/api/jobs",
                "{\"type\": \"noop\", \"queue\": \"nobody-serves\", \"delay\": \"1h\"}",
                "Authorization",
                bearer);
        assertThat(unserved.body()).contains("\"warning\":\"no live worker serves queue nobody-serves");

        String cookie = signIn();
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(fx.get("/", "Cookie", cookie).body())
                        .contains("<div class=\"notice\" id=\"stranded\">")
                        .contains("type=noop-typo\">")
                        .containsPattern(
                                "\\d+ due job\\(s\\) of type noop-typo in queue default, oldest waiting \\d+ s:"
                                        + " no live worker handles noop-typo in default</a>"));
        fx.queue.cancel(List.of(
                answer.path("id").asLong(), Long.parseLong(unserved.body().replaceAll(".*\"id\":(\\d+).*", "$1"))));
    }
}
