package dev.steadfast.cli.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.cli.UserException;
import dev.steadfast.cli.plugins.BuiltInHandlers;
import dev.steadfast.jdbc.ConnectionHealth;
import dev.steadfast.queue.BatchRequest;
import dev.steadfast.queue.EnqueuedWorkflow;
import dev.steadfast.queue.FailedJob;
import dev.steadfast.queue.JobFilter;
import dev.steadfast.queue.JobOutput;
import dev.steadfast.queue.JobRequest;
import dev.steadfast.queue.JobStatus;
import dev.steadfast.queue.RateLimit;
import dev.steadfast.queue.RetryBackoff;
import dev.steadfast.queue.Schedule;
import dev.steadfast.queue.Worker;
import dev.steadfast.queue.WorkflowRequest;
import dev.steadfast.queue.WorkflowState;
import dev.steadfast.testkit.MariaDbServer;
import dev.steadfast.testkit.PrivateMariaDb;
import dev.steadfast.web.WebSettings;
import dev.steadfast.web.internal.Access;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.CookieManager;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every endpoint over HTTP, against a real server and a real worker. */
class WebServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final PrivateMariaDb DB = new PrivateMariaDb();

    static WebFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = new WebFixture(DB.server(), null, BuiltInHandlers.all());
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    private static FailedJob failOne(String message) throws Exception {
        long id = fx.queue.enqueue(JobRequest.of("fail")
                .queue("web")
                .maxAttempts(1)
                .payload(Map.of("message", message))
                .build());
        await().atMost(Duration.ofSeconds(20))
                .until(() -> fx.queue.browser().failures(JobFilter.all(), null, 500).stream()
                        .anyMatch(f -> f.id() == id));
        return fx.queue.browser().failures(JobFilter.all(), null, 500).stream()
                .filter(f -> f.id() == id)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void probesAnswerInJsonWithTheRightCodes() throws Exception {
        HttpResponse<String> health = fx.get("/healthz");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(health.body()).path("status").asText()).isEqualTo("up");

        HttpResponse<String> ready = fx.get("/readyz");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(ready.body());
        assertThat(body.path("database").path("reachable").asBoolean()).isTrue();
        assertThat(body.path("schema").path("up_to_date").asBoolean()).isTrue();
        assertThat(body.path("worker").path("state").asText()).isEqualTo("RUNNING");
        assertThat(ready.headers().firstValue("Content-Type")).hasValue("application/json");
    }

    @Test
    void readinessFailsWhileTheDatabaseIsDownAndRecovers() throws Exception {
        MariaDbServer server = DB.server();
        long id = fx.queue.enqueue(
                JobRequest.of("noop").queue("down").delay(Duration.ofHours(1)).build());
        server.stop();
        try {
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> fx.get("/readyz").statusCode() == 503); // past the 1 s cache
            HttpResponse<String> down = fx.get("/readyz");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(down.body())
                            .path("database")
                            .path("reachable")
                            .asBoolean())
                    .isFalse();
            assertThat(fx.get("/healthz").statusCode())
                    .as("the process itself is up")
                    .isEqualTo(200);
            for (String page :
                    new String[] {"/jobs/" + id, "/jobs?state=pending", "/failed"}) { // 5 s each: the pool gives up
                HttpResponse<String> unavailable = fx.get(page);
                assertThat(unavailable.statusCode()).as(page).isEqualTo(503);
                assertThat(unavailable.body())
                        .as(page)
                        .contains("Database unavailable")
                        .doesNotContainIgnoringCase("socket")
                        .doesNotContainIgnoringCase("connection refused")
                        .doesNotContain("jdbc:");
            }
        } finally {
            server.start();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> fx.get("/readyz").statusCode() == 200);
    }

    @Test
    void metricsArePrometheusTextWithJobQueueAndConnectionMeters() throws Exception {
        long id = fx.queue.enqueue(JobRequest.of("noop").queue("web").build());
        await().atMost(Duration.ofSeconds(20))
                .until(() -> fx.queue.browser().job(id).orElseThrow().status() == JobStatus.SUCCEEDED);
        failOne("for the metrics");
        HttpResponse<String> metrics = fx.get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(metrics.body())
                .containsPattern("steadfast_jobs_total\\{event=\"enqueued\",queue=\"web\",type=\"noop\"} [1-9]")
                .containsPattern("steadfast_jobs_total\\{event=\"succeeded\",queue=\"web\",type=\"noop\"} [1-9]")
                .containsPattern("steadfast_jobs_total\\{event=\"failed\",queue=\"web\",type=\"fail\"} [1-9]")
                .contains("steadfast_jobs_total{event=\"started\"")
                .contains("steadfast_job_duration_seconds_bucket{")
                .contains("steadfast_claim_batch_size_bucket")
                .contains("steadfast_claim_latency_seconds_count")
                .contains("steadfast_connection_failures_total{kind=\"lost_before_sent\"}")
                .contains("steadfast_unit_replays_total")
                .contains("steadfast_commit_resolutions_total")
                .contains("steadfast_liveness_evictions_total")
                .contains("steadfast_heal_time_seconds")
                .contains("steadfast_outage{worker=\"" + fx.worker.id() + "\"} 0.0");
    }

    @Test
    void pagesShowCountsJobsWorkersAndConnectionHealth() throws Exception {
        long id = fx.queue.enqueue(JobRequest.of("sleep")
                .queue("web")
                .uniqueKey("nightly-report")
                .payload(Map.of("ms", 3000))
                .build());
        await().atMost(Duration.ofSeconds(20))
                .until(() -> fx.queue.browser().job(id).orElseThrow().status() == JobStatus.RUNNING);

        String overview = fx.get("/").body();
        assertThat(overview).as("issue 27: no sign-in, nothing to sign out of").doesNotContain("Sign out", "/logout");
        assertThat(fx.get("/login").body()).doesNotContain("Sign out");
        assertThat(overview)
                .contains("<table id=\"queues\">")
                .contains("queue=web\">web</a></td>")
                .contains("<th class=\"num\">Latency</th>")
                .contains("<svg id=\"throughput\"")
                .contains("workers alive")
                .contains("Database connections");

        String running = fx.get("/jobs?state=running").body();
        assertThat(running).contains("href=\"/jobs/" + id + "\"");
        assertThat(fx.get("/jobs?state=running&q=nightly-report").body()).contains("href=\"/jobs/" + id + "\"");
        assertThat(fx.get("/jobs?state=running&q=" + id).body()).contains("href=\"/jobs/" + id + "\"");
        assertThat(fx.get("/jobs?state=running&q=sleep").body()).contains("href=\"/jobs/" + id + "\"");
        assertThat(fx.get("/jobs?state=running&q=no-such-key").body()).contains("no running jobs matching");

        String workers = fx.get("/workers").body();
        assertThat(workers).contains(fx.worker.id()).contains("alive").contains("href=\"/jobs/" + id + "\"");

        String detail = fx.get("/jobs/" + id).body();
        assertThat(detail)
                .contains("nightly-report")
                .contains("&quot;ms&quot; : 3000")
                .contains("1 of 3");

        String connections = fx.get("/connections").body();
        assertThat(connections)
                .contains("connection losses")
                .contains("<table id=\"doctor\">")
                .contains("wait_timeout")
                .containsPattern("interrupted commits resolved: \\d+ committed, \\d+ rolled back, \\d+ unknown")
                .doesNotContain("rolled_back=");

        assertThat(fx.get("/jobs/999999999").statusCode()).isEqualTo(404);
        assertThat(fx.get("/jobs?state=bogus").statusCode()).isEqualTo(400);
        assertThat(fx.get("/static/dashboard.css").body()).contains("--accent");
    }

    private static String rowOf(String page, String workerId) {
        int at = page.indexOf("<td>" + workerId + "</td>");
        return at < 0 ? "" : page.substring(at, page.indexOf("</tr>", at));
    }

    /** A worker that stopped a minute ago is listed for a day, as stopped, with what it ran; a live one with its counts. */
    @Test
    void theWorkersPageListsStoppedWorkersWithTheJobsTheyRan() throws Exception {
        Worker.Builder builder = Worker.builder(fx.queue)
                .queues(List.of("web-stopping"))
                .pollInterval(Duration.ofMillis(20), Duration.ofMillis(200))
                .retryBackoff(RetryBackoff.fixed(Duration.ofMillis(50)));
        BuiltInHandlers.all().forEach(builder::handler);
        Worker stopping = builder.build();
        for (int i = 0; i < 3; i++) {
            fx.queue.enqueue(JobRequest.of("noop").queue("web-stopping").build());
        }
        fx.queue.enqueue(
                JobRequest.of("fail").queue("web-stopping").maxAttempts(2).build());
        stopping.start();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> fx.queue.stats().queues().get("web-stopping").failed() == 1
                        && fx.queue.stats().queues().get("web-stopping").succeeded() == 3);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(rowOf(fx.get("/workers").body(), stopping.id()))
                        .as("a live worker's counts, reported every few seconds")
                        .contains(">alive</td>")
                        .contains("<td class=\"num\">4</td>"));
        stopping.stop();
        assertThat(stopping.awaitTermination(Duration.ofSeconds(20))).isTrue();

        String page = fx.get("/workers").body();
        assertThat(rowOf(page, stopping.id()))
                .as(page)
                .contains("stopped <time")
                .contains("<td class=\"num\">4</td>")
                .as("a job retried once and failed is one job, failed")
                .contains("<td class=\"num bad\">1</td>");
    }

    @Test
    void listsArePagedByKeysetAndBadCursorsAreHarmless() throws Exception {
        for (int i = 0; i < 60; i++) {
            fx.queue.enqueue(JobRequest.of("noop")
                    .queue("paged")
                    .delay(Duration.ofHours(1))
                    .build());
        }
        String first = fx.get("/jobs?state=scheduled&queue=paged").body();
        assertThat(first.split("<tr>").length - 2).isEqualTo(50);
        assertThat(first)
                .contains("50 shown of 60")
                .contains("next page \u2192")
                .doesNotContain("first page");
        Matcher next =
                Pattern.compile("href=\"([^\"]*after=[\\d-]+)\">next page").matcher(first);
        assertThat(next.find()).isTrue();
        String second = fx.get(next.group(1).replace("&amp;", "&")).body();
        assertThat(second.split("<tr>").length - 2).as("the rest, none twice").isEqualTo(10);
        assertThat(second).contains("first page").doesNotContain("next page");

        for (String cursor : new String[] {
            "page=2147483647",
            "after=9223372036854775807",
            "after=-1",
            "after=abc",
            "after=99999999999999999999999",
            "after=1-2-3",
            "after=-",
            "page=-5"
        }) {
            HttpResponse<String> page = fx.get("/jobs?state=scheduled&" + cursor);
            assertThat(page.statusCode()).as(cursor).isIn(200, 400);
            assertThat(page.body()).as(cursor).doesNotContain("SQL").doesNotContain("OFFSET");
        }
    }

    @Test
    void listsNeverCarryPayloadsAndAJobPageShowsAtMost64KbOfOne() throws Exception {
        String big = "x".repeat(200_000);
        long id = fx.queue.enqueue(JobRequest.of("noop")
                .queue("big")
                .delay(Duration.ofHours(1))
                .payload(Map.of("blob", big, "marker", "payload-marker-1"))
                .build());
        String list = fx.get("/jobs?state=scheduled&q=" + id).body();
        assertThat(list)
                .contains("href=\"/jobs/" + id + "\"")
                .doesNotContain("payload-marker-1")
                .doesNotContain("xxxxxxxxxx");
        assertThat(fx.queue
                        .browser()
                        .page(JobFilter.all().status(JobStatus.SCHEDULED).search(Long.toString(id)), null, 10)
                        .jobs()
                        .get(0)
                        .payload())
                .isNull();

        HttpResponse<String> page = fx.get("/jobs/" + id);
        assertThat(page.body()).contains("id=\"payload-truncated\"").contains("href=\"/jobs/" + id + "/payload\"");
        assertThat(page.body().length())
                .as("the page holds the payload's head, not all of it")
                .isLessThan(100_000);

        HttpResponse<String> download = fx.get("/jobs/" + id + "/payload");
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Disposition").orElse(""))
                .contains("attachment");
        assertThat(JSON.readTree(download.body()).path("blob").asText()).isEqualTo(big);
        assertThat(fx.get("/jobs/999999999/payload").statusCode()).isEqualTo(404);
    }

    @Test
    void secretsInErrorsAreMaskedOnEveryPage() throws Exception {
        FailedJob failed =
                failOne("charge failed: client_secret=cs-4711-topsecret Authorization: Basic dXNlcjpodW50ZXIy");
        assertThat(fx.get("/jobs/" + failed.id()).body())
                .contains("client_secret=***")
                .contains("Authorization: Basic ***");
        for (String page : new String[] {
            fx.get("/failed").body(),
            fx.get("/jobs/" + failed.id()).body(),
            fx.get("/jobs?state=failed").body()
        }) {
            assertThat(page)
                    .doesNotContain("cs-4711")
                    .doesNotContain("topsecret")
                    .doesNotContain("dXNlcjpodW50ZXIy");
        }
    }

    @Test
    void aFlashMessageIsNeverTakenFromTheUrl() throws Exception {
        String page = fx.get("/failed?done="
                        + URLEncoder.encode("Your session expired: call +1 555 0100", StandardCharsets.UTF_8))
                .body();
        assertThat(page).doesNotContain("555 0100").doesNotContain("id=\"flash\"");
        assertThat(fx.get("/failed?done=retried&n=7").body()).contains("Retried 7 job(s)");
    }

    @Test
    void twoHundredSlowClientsDoNotHoldUpTheProbes() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Socket s = new Socket("127.0.0.1", fx.web.port());
                s.getOutputStream().write("G".getBytes(StandardCharsets.US_ASCII)); // and nothing more
                slow.add(s);
            }
            HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(1))
                    .build();
            for (String probe : new String[] {"/healthz", "/readyz", "/healthz"}) {
                HttpResponse<String> answer = client.send(
                        HttpRequest.newBuilder(URI.create(fx.base() + probe))
                                .timeout(Duration.ofSeconds(1))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(probe).isEqualTo(200);
            }
            assertThat(fx.get("/").statusCode()).as("and the pages").isEqualTo(200);
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void payloadsAndErrorsAreEscaped() throws Exception {
        String evil = "<script>alert('x')</script><img src=x onerror=alert(1)>";
        FailedJob failed = failOne(evil);
        String list = fx.get("/failed").body();
        String detail = fx.get("/jobs/" + failed.id()).body();
        for (String page : new String[] {list, detail}) {
            assertThat(page).doesNotContain("<script>alert").doesNotContain("<img src=x");
            assertThat(page).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
        }
        assertThat(fx.get("/jobs/" + failed.id())
                        .headers()
                        .firstValue("Content-Security-Policy")
                        .orElse(""))
                .contains("default-src 'none'");
        String search = fx.get("/jobs?state=failed&q=%3Cscript%3E").body();
        assertThat(search).doesNotContain("<script>").contains("&lt;script&gt;");

        // what a command printed: on the job's page, escaped and redacted
        assertThat(fx.queue.recordOutput(
                        failed.id(),
                        new JobOutput(1, 3, "made " + evil, "error: password=hunter22-secret", 20_000, 31, null)))
                .isTrue();
        String withOutput = fx.get("/jobs/" + failed.id()).body();
        assertThat(withOutput)
                .contains("<h2>Output</h2>")
                .contains("Attempt 1: exit status 3 (20000 bytes of stdout, 31 of stderr)")
                .contains("made &lt;script&gt;")
                .doesNotContain("<script>alert")
                .doesNotContain("hunter22-secret");
        assertThat(fx.queue.recordOutput(987_654_321L, new JobOutput(1, 0, "", "", 0, 0, null)))
                .as("no job, no output")
                .isFalse();
    }

    @Test
    void retryAndForgetArePostsThatNeedTheCsrfToken() throws Exception {
        FailedJob a = failOne("a");
        FailedJob b = failOne("b");

        assertThat(fx.post("/failed/retry?only=" + a.id(), "").statusCode())
                .as("no token")
                .isEqualTo(403);
        assertThat(fx.post("/failed/retry?only=" + a.id(), "csrf=wrong").statusCode())
                .isEqualTo(403);
        String csrf = fx.csrf();
        assertThat(fx.post("/failed/retry?only=" + a.id(), "csrf=" + csrf, "Origin", "http://evil.example")
                        .statusCode())
                .as("cross-site origin")
                .isEqualTo(403);
        assertThat(fx.get("/failed/retry?only=" + a.id()).statusCode())
                .as("GET never acts")
                .isEqualTo(405);
        assertThat(fx.queue.browser().failure(a.id(), Integer.MAX_VALUE)).isPresent();

        HttpResponse<String> retried = fx.post("/failed/retry?only=" + a.id(), "csrf=" + csrf);
        assertThat(retried.statusCode()).isEqualTo(303);
        assertThat(retried.headers().firstValue("Location").orElse("")).isEqualTo("/failed?done=retried&n=1");
        assertThat(fx.queue.browser().failure(a.id(), Integer.MAX_VALUE)).isEmpty();

        HttpResponse<String> forgot = fx.post("/failed/forget", "csrf=" + csrf + "&id=" + b.id());
        assertThat(forgot.statusCode()).isEqualTo(303);
        assertThat(fx.queue.browser().failure(b.id(), Integer.MAX_VALUE)).isEmpty();

        failOne("c");
        failOne("d");
        HttpResponse<String> ask = fx.post("/failed/retry?all=1", "csrf=" + csrf);
        assertThat(ask.statusCode()).as("a bulk action asks first").isEqualTo(200);
        assertThat(ask.body())
                .containsPattern("About to retry [2-9] failed job")
                .contains("name=\"confirmed\"");
        assertThat(fx.queue.browser().failures(JobFilter.all(), null, 100))
                .as("nothing done yet")
                .hasSizeGreaterThanOrEqualTo(2);
        HttpResponse<String> all = fx.post("/failed/retry?all=1", "csrf=" + csrf + "&confirmed=1");
        assertThat(all.statusCode()).isEqualTo(303);
        assertThat(all.headers().firstValue("Location").orElse("")).containsPattern("done=retried&n=[2-9]");
    }

    @Test
    void aJobPageShowsItsAttemptsAndScheduledJobsCanBeRunNowOrDeleted() throws Exception {
        FailedJob failed = failOne("history please");
        String page = fx.get("/jobs/" + failed.id()).body();
        assertThat(page)
                .contains("<table id=\"history\">")
                .contains("history please")
                .containsPattern("\\d+ ms</td>")
                .contains(fx.worker.id())
                .contains("<time datetime=\"");
        assertThat(page)
                .as("a finished job names the worker of its last attempt; the durations say what they measure")
                .contains("<tr><th>Last attempt on</th><td>" + fx.worker.id() + "</td></tr>")
                .contains("Claim to outcome");

        long later = fx.queue.enqueue(JobRequest.of("noop")
                .queue("web-later")
                .delay(Duration.ofHours(2))
                .build());
        String csrf = fx.csrf();
        assertThat(fx.get("/jobs/" + later).body()).contains("action=\"/jobs/" + later + "/run-now\"");
        assertThat(fx.post("/jobs/" + later + "/run-now", "").statusCode())
                .as("no CSRF token")
                .isEqualTo(403);
        HttpResponse<String> runNow = fx.post("/jobs/" + later + "/run-now", "csrf=" + csrf);
        assertThat(runNow.statusCode()).isEqualTo(303);
        assertThat(fx.queue.browser().job(later).orElseThrow().status())
                .isIn(JobStatus.PENDING, JobStatus.RUNNING, JobStatus.SUCCEEDED);

        long doomed = fx.queue.enqueue(JobRequest.of("noop")
                .queue("web-later")
                .delay(Duration.ofHours(2))
                .build());
        HttpResponse<String> delete = fx.post("/jobs/" + doomed + "/delete", "csrf=" + csrf);
        assertThat(delete.statusCode()).isEqualTo(303);
        assertThat(delete.headers().firstValue("Location").orElse("")).contains("done=deleted");
        assertThat(fx.queue.browser().job(doomed)).isEmpty();
    }

    @Test
    void queuesArePausedAndResumedAndJobsCancelledWithPostsThatNeedTheCsrfToken() throws Exception {
        String csrf = fx.csrf();
        // a queue the fixture's worker does not take from: its jobs stay where the dashboard puts them
        long waiting = fx.queue.enqueue(JobRequest.of("noop")
                .queue("web-control")
                .delay(Duration.ofHours(2))
                .build());
        long other = fx.queue.enqueue(JobRequest.of("noop")
                .queue("web-control")
                .delay(Duration.ofHours(2))
                .build());
        long another = fx.queue.enqueue(JobRequest.of("other")
                .queue("web-control")
                .delay(Duration.ofHours(2))
                .build());

        String overview = fx.get("/").body();
        assertThat(overview).contains("action=\"/queues/pause\"").contains("value=\"web-control\"");
        assertThat(fx.post("/queues/pause", "queue=web-control").statusCode())
                .as("no CSRF token")
                .isEqualTo(403);
        HttpResponse<String> pause = fx.post("/queues/pause", "csrf=" + csrf + "&queue=web-control");
        assertThat(pause.statusCode()).isEqualTo(303);
        assertThat(pause.headers().firstValue("Location").orElse("")).contains("done=paused");
        assertThat(fx.queue.stats().isPaused("web-control")).isTrue();
        assertThat(fx.get("/").body()).contains("action=\"/queues/resume\"").contains(">paused</span>");
        assertThat(fx.post("/queues/pause", "csrf=" + csrf + "&queue=no-such-queue")
                        .statusCode())
                .isEqualTo(400);
        assertThat(fx.post("/queues/resume", "csrf=" + csrf + "&queue=web-control")
                        .statusCode())
                .isEqualTo(303);
        assertThat(fx.queue.stats().isPaused("web-control")).isFalse();

        // rate limits: set, shown, refused when malformed, taken away
        assertThat(fx.post("/queues/limit", "queue=web-control&rate=5%2F1m").statusCode())
                .as("no CSRF token")
                .isEqualTo(403);
        HttpResponse<String> limit = fx.post("/queues/limit", "csrf=" + csrf + "&queue=web-control&rate=5%2F1m");
        assertThat(limit.headers().firstValue("Location").orElse("")).contains("done=rate_limited");
        assertThat(fx.queue.stats().rateLimit("web-control")).contains(RateLimit.of(5, Duration.ofMinutes(1)));
        assertThat(fx.get("/").body())
                .contains("<span class=\"\" title=\"at most 5 job(s) start per span")
                .contains(">5/1m</span>")
                .contains("value=\"off\"");
        HttpResponse<String> bad = fx.post("/queues/limit", "csrf=" + csrf + "&queue=web-control&rate=%3Cb%3E%2F1s");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("is not a rate").contains("&lt;b&gt;").doesNotContain("<b>/1s");
        assertThat(fx.post("/queues/limit", "csrf=" + csrf + "&queue=no-such-queue&rate=1%2F1s")
                        .statusCode())
                .isEqualTo(400);
        HttpResponse<String> off = fx.post("/queues/limit", "csrf=" + csrf + "&queue=web-control&rate=off");
        assertThat(off.headers().firstValue("Location").orElse("")).contains("done=rate_limit_removed");
        assertThat(fx.queue.stats().rateLimit("web-control")).isEmpty();

        assertThat(fx.get("/jobs/" + waiting).body()).contains("action=\"/jobs/" + waiting + "/cancel\"");
        assertThat(fx.post("/jobs/" + waiting + "/cancel", "").statusCode())
                .as("no CSRF token")
                .isEqualTo(403);
        HttpResponse<String> cancel = fx.post("/jobs/" + waiting + "/cancel", "csrf=" + csrf);
        assertThat(cancel.headers().firstValue("Location").orElse("")).contains("done=cancelled");
        assertThat(fx.queue.browser().job(waiting).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(fx.get("/jobs?state=cancelled&queue=web-control").body()).contains("/jobs/" + waiting + "\"");

        // bulk: the list's own filter, after a confirmation
        String list =
                fx.get("/jobs?state=scheduled&queue=web-control&type=noop").body();
        assertThat(list).contains("id=\"cancel-all\"");
        HttpResponse<String> ask = fx.post("/jobs/cancel?state=scheduled&queue=web-control&type=noop", "csrf=" + csrf);
        assertThat(ask.statusCode()).isEqualTo(200);
        assertThat(ask.body()).contains("About to cancel 1 scheduled job(s) in queue web-control of type noop");
        assertThat(fx.queue.browser().job(other).orElseThrow().status())
                .as("nothing before the confirmation")
                .isEqualTo(JobStatus.SCHEDULED);
        HttpResponse<String> bulk =
                fx.post("/jobs/cancel?state=scheduled&queue=web-control&type=noop", "csrf=" + csrf + "&confirmed=1");
        assertThat(bulk.statusCode()).isEqualTo(303);
        assertThat(fx.queue.browser().job(other).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(fx.queue.browser().job(another).orElseThrow().status())
                .as("another type")
                .isEqualTo(JobStatus.SCHEDULED);
        assertThat(fx.post("/jobs/cancel?state=failed", "csrf=" + csrf + "&confirmed=1")
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void theSchedulesPageListsSchedulesThatArePausedAndResumedWithTheCsrfToken() throws Exception {
        fx.queue.schedule(Schedule.cron(
                "web-nightly",
                "0 3 * * *",
                ZoneId.of("Europe/Berlin"),
                JobRequest.of("noop").queue("web-reports").build()));
        String page = fx.get("/schedules").body();
        assertThat(page)
                .contains("web-nightly")
                .contains("0 3 * * *")
                .contains("Europe/Berlin")
                .contains("action=\"/schedules/pause\"");
        assertThat(fx.post("/schedules/pause", "schedule=web-nightly").statusCode())
                .as("no CSRF token")
                .isEqualTo(403);
        HttpResponse<String> pause = fx.post("/schedules/pause", "csrf=" + fx.csrf() + "&schedule=web-nightly");
        assertThat(pause.headers().firstValue("Location").orElse("")).contains("done=schedule_paused");
        assertThat(fx.queue.schedules())
                .filteredOn(s -> s.name().equals("web-nightly"))
                .singleElement()
                .satisfies(s -> assertThat(s.paused()).isTrue());
        assertThat(fx.get("/schedules").body()).contains("action=\"/schedules/resume\"");
        fx.post("/schedules/resume", "csrf=" + fx.csrf() + "&schedule=web-nightly");
        assertThat(fx.queue.schedules())
                .filteredOn(s -> s.name().equals("web-nightly"))
                .singleElement()
                .satisfies(s -> assertThat(s.paused()).isFalse());
        fx.queue.unschedule("web-nightly");

        // zones and times as the command prints them (schedule list, jobs list): UTC, not Java's Z
        fx.queue.schedule(Schedule.cron(
                "web-utc",
                "0 4 * * *",
                ZoneOffset.UTC,
                JobRequest.of("noop").queue("web-reports").build()));
        String utc = fx.get("/schedules").body();
        assertThat(utc)
                .contains("<td>UTC</td>")
                .doesNotContain("<td>Z</td>")
                .containsPattern("<td>\\d{4}-\\d{2}-\\d{2} 04:00:00 UTC</td>")
                .doesNotContainPattern("\\d:\\d{2}Z<");
        fx.queue.unschedule("web-utc");
    }

    @Test
    void aWorkflowIsListedAndDrawnAsAGraphAndItsJobsLinkToIt() throws Exception {
        EnqueuedWorkflow wf = fx.queue
                .workflows()
                .enqueue(WorkflowRequest.named("web-order")
                        .step("charge", JobRequest.of("noop").queue("web").build())
                        .step("ship", JobRequest.of("noop").queue("web-held").build(), "charge")
                        .step("invoice", JobRequest.of("noop").queue("web-held").build(), "charge")
                        .step("notify", JobRequest.of("noop").queue("web-held").build(), "ship", "invoice")
                        .build());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> fx.queue
                                .browser()
                                .job(wf.steps().get("charge"))
                                .orElseThrow()
                                .status()
                        == JobStatus.SUCCEEDED);
        String list = fx.get("/workflows").body();
        assertThat(list)
                .contains("href=\"/workflows\"")
                .contains("href=\"/workflows/" + wf.id() + "\"")
                .contains("web-order")
                .contains("running");
        String page = fx.get("/workflows/" + wf.id()).body();
        assertThat(page).contains("<svg").contains("data-live");
        // a box per step, coloured by state, linked to its job; an edge per parent, columns by depth
        assertThat(page)
                .contains("href=\"/jobs/" + wf.steps().get("notify") + "\" class=\"step\" data-state=\"waiting\"");
        assertThat(page)
                .contains("href=\"/jobs/" + wf.steps().get("charge") + "\" class=\"step\" data-state=\"succeeded\"");
        assertThat(page.split("class=\"edge\"", -1)).hasSize(5);
        assertThat(page).contains("fill=\"#1f8a4c\"");
        // a step that is a batch links to its batch, with its progress
        EnqueuedWorkflow composed = fx.queue
                .workflows()
                .enqueue(WorkflowRequest.named("web-import")
                        .step("first", JobRequest.of("noop").queue("web-held").build())
                        .step(
                                "import",
                                BatchRequest.create()
                                        .add(JobRequest.of("noop")
                                                .queue("web-held")
                                                .build())
                                        .add(JobRequest.of("noop")
                                                .queue("web-held")
                                                .build()),
                                "first")
                        .build());
        assertThat(fx.get("/workflows/" + composed.id()).body())
                .contains("href=\"/batches/" + composed.batches().get("import") + "\"")
                .contains("0/2 finished");
        fx.queue.workflows().cancel(composed.id());
        String job = fx.get("/jobs/" + wf.steps().get("ship")).body();
        assertThat(job).contains("href=\"/workflows/" + wf.id() + "\"").contains("step ship");
        assertThat(fx.get("/workflows/987654321").statusCode()).isEqualTo(404);
        assertThat(fx.get("/").body()).as("the overview counts waiting jobs").contains("/jobs?state=waiting");
        assertThat(page).contains("action=\"/workflows/" + wf.id() + "/cancel\"");
        assertThat(fx.post("/workflows/" + wf.id() + "/cancel", "").statusCode())
                .as("no CSRF token")
                .isEqualTo(403);
        HttpResponse<String> cancel = fx.post("/workflows/" + wf.id() + "/cancel", "csrf=" + fx.csrf());
        assertThat(cancel.headers().firstValue("Location").orElse("")).contains("done=cancelled&n=3");
        assertThat(fx.queue.workflows().find(wf.id()).orElseThrow().state()).isEqualTo(WorkflowState.CANCELLED);
        assertThat(fx.get("/workflows/" + wf.id()).body()).doesNotContain("/cancel\"");
    }

    @Test
    void listsFilterByQueueAndTypeAndShowTheirTotal() throws Exception {
        for (int i = 0; i < 3; i++) {
            fx.queue.enqueue(JobRequest.of("report.weekly")
                    .queue("web-filter")
                    .delay(Duration.ofHours(1 + i))
                    .build());
        }
        fx.queue.enqueue(JobRequest.of("noop")
                .queue("web-filter")
                .delay(Duration.ofHours(9))
                .build());
        String page = fx.get("/jobs?state=scheduled&queue=web-filter&type=report.weekly")
                .body();
        assertThat(page).contains("3 shown of 3").doesNotContain(">noop<");
        assertThat(fx.get("/jobs?state=scheduled&queue=web-filter&q=report").body())
                .contains("3 shown of 3");
        assertThat(fx.get("/jobs?state=scheduled&queue=web-filter").body()).contains("4 shown of 4");
        failOne("filter me");
        assertThat(fx.get("/failed?queue=no-such-queue").body())
                .contains("no failed jobs")
                .doesNotContain("filter me");
        assertThat(fx.get("/failed?queue=web&type=fail").body())
                .contains("filter me")
                .contains("value=\"web\"");
    }

    @Test
    void behindAProxyEveryLinkFormAndRedirectCarriesTheBasePath() throws Exception {
        try (WebServer proxied = WebServer.start(
                new WebSettings("127.0.0.1", 0, null, List.of(), "/ops/steadfast/"),
                fx.queue,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                null)) {
            // a browser's cookie jar: the CSRF token of a dashboard without sessions is each client's own, in a cookie
            HttpClient client =
                    HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
            Function<String, HttpResponse<String>> get = path -> {
                try {
                    return client.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxied.port() + path))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            HttpResponse<String> overview = get.apply("/ops/steadfast/");
            assertThat(overview.statusCode()).isEqualTo(200);
            assertThat(overview.body())
                    .contains("href=\"/ops/steadfast/static/dashboard.css\"")
                    .contains("src=\"/ops/steadfast/static/dashboard.js\"")
                    .contains("href=\"/ops/steadfast/jobs?state=pending\"")
                    .doesNotContain("href=\"/jobs");
            assertThat(get.apply("/ops/steadfast/static/dashboard.js").body()).contains("steadfast.live");
            assertThat(get.apply("/jobs?state=pending").statusCode())
                    .as("outside the base path")
                    .isEqualTo(404);
            assertThat(get.apply("/healthz").statusCode())
                    .as("probes answer at the root too")
                    .isEqualTo(200);
            assertThat(get.apply("/ops/steadfast/healthz").statusCode()).isEqualTo(200);
            String failed = get.apply("/ops/steadfast/failed").body();
            assertThat(failed).contains("action=\"/ops/steadfast/failed/retry\"");
            String cookieless = failed.substring(failed.indexOf("name=\"csrf\" value=\"") + 19);
            String csrf = cookieless.substring(0, cookieless.indexOf('"'));
            HttpResponse<String> posted = client.send(
                    HttpRequest.newBuilder(URI.create(
                                    "http://127.0.0.1:" + proxied.port() + "/ops/steadfast/failed/retry?only=999999"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).isEqualTo(303);
            assertThat(posted.headers().firstValue("Location").orElse("")).startsWith("/ops/steadfast/failed?done=");
            assertThat(overview.headers().firstValue("Set-Cookie").orElse(""))
                    .as("issue 26: cookies are the base path's")
                    .startsWith(Access.CSRF_COOKIE + "=")
                    .contains("; Path=/ops/steadfast;")
                    .contains("HttpOnly")
                    .contains("SameSite=Strict");
            HttpResponse<String> otherClient = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxied.port()
                                            + "/ops/steadfast/failed/retry?only=999999"))
                                    .header("Content-Type", "application/x-www-form-urlencoded")
                                    .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(otherClient.statusCode())
                    .as("issue 26: another client's CSRF token is no good")
                    .isEqualTo(403);
            assertThat(overview.headers().firstValue("Content-Security-Policy").orElse(""))
                    .contains("script-src 'self'");
        }
        assertThatThrownBy(() -> new WebSettings("127.0.0.1", 0, null, List.of(), "ops steadfast"))
                .hasMessageContaining("a base path is like /steadfast");
    }

    @Test
    void connectionLossesShowInTheMetricsAndTheHealthPanel() throws Exception {
        MariaDbServer server = DB.server();
        ConnectionHealth before = fx.db.connectionHealth(); // other tests of this class stopped the server
        for (long id : server.connectionIds()) {
            server.killConnection(id); // the dashboard's and the worker's pooled connections, idle or not
        }
        for (int i = 0; i < 5; i++) {
            fx.queue.stats(); // each borrow meets a connection the server has closed
        }
        ConnectionHealth health = fx.db.connectionHealth();
        assertThat(health.evictions() + health.losses())
                .as("the KILLs were seen")
                .isGreaterThan(before.evictions() + before.losses());
        assertThat(health.gaveUp()).as("and healed").isEqualTo(before.gaveUp());
        String metrics = fx.get("/metrics").body();
        assertThat(metrics)
                .containsPattern("steadfast_(liveness_evictions|connection_failures)_total(\\{[^}]*})? [1-9]");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> fx.queue.browser().workers(Duration.ofMinutes(1)).stream()
                        .anyMatch(w -> w.id().equals(fx.worker.id())
                                && w.health().losses() + w.health().evictions()
                                        >= health.losses() + health.evictions()));
        assertThat(fx.get("/workers").body())
                .as("the worker's heartbeat reported what its connections lived through")
                .containsPattern("<td class=\"num\">[1-9]\\d*</td>");
        String panel = fx.get("/connections").body();
        assertThat(panel).contains("<table id=\"worker-connections\">").contains(fx.worker.id());
        assertThat(panel)
                .containsPattern(
                        "<div class=\"n\">[1-9]\\d*</div><div class=\"l\">(connection losses|dead connections replaced)");
    }

    @Test
    void withoutATokenThereIsNoJobsApi() throws Exception {
        HttpResponse<String> refused = fx.postJson("/api/jobs", "{\"type\": \"noop\"}");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("the HTTP API needs a token");
        HttpResponse<String> list = fx.get("/api/jobs");
        assertThat(list.statusCode()).isEqualTo(403);
        assertThat(list.headers().firstValue("Content-Type")).hasValue("application/json");
    }

    @Test
    void anOpenBindWithoutATokenIsRefused() {
        assertThatThrownBy(() -> WebOptions.settings("0.0.0.0", 8080, null))
                .isInstanceOf(UserException.class)
                .hasMessageContaining("STEADFAST_UI_TOKEN");
        assertThat(WebOptions.settings("127.0.0.1", 8080, null).token()).isNull();
        assertThatThrownBy(() -> WebOptions.trustingProxies(
                        WebOptions.settings("127.0.0.1", 8080, null), List.of("proxy.example:80")))
                .isInstanceOf(UserException.class)
                .hasMessageContaining("--trust-proxy takes the IP address");
        assertThat(WebOptions.trustingProxies(WebOptions.settings("127.0.0.1", 8080, null), List.of("127.0.0.1", "::1"))
                        .trustedProxies())
                .containsExactly("127.0.0.1", "::1");
    }
}
