package dev.steadfast.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.JobRequest;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import dev.steadfast.testkit.PrivateMariaDb;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code steadfast serve} and {@code work --http-port} as processes: pages, metrics and probes over HTTP. */
class ServeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ADDRESS = Pattern.compile("http://(?:127\\.0\\.0\\.1|0\\.0\\.0\\.0):(\\d+)/");
    private static final String TOKEN = "worker-dashboard-token-123";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    static final PrivateMariaDb DB = new PrivateMariaDb();

    @TempDir
    Path dir;

    private static int port(Cli.Running running) {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> ADDRESS.matcher(running.out() + running.err()).find());
        Matcher m = ADDRESS.matcher(running.out() + running.err());
        assertThat(m.find()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** Losses plus dead connections replaced, summed over the live workers' table of the connections page. */
    private static long lossesAndReplacements(String page) {
        int table = page.indexOf("<table id=\"worker-connections\">");
        String rows = page.substring(table, page.indexOf("</table>", table));
        Matcher row = Pattern.compile("<tr><td>[^<]+</td><td class=\"num\">(\\d+)</td><td class=\"num\">\\d+</td>"
                        + "<td class=\"num\">(\\d+)</td>")
                .matcher(rows);
        long sum = 0;
        while (row.find()) {
            sum += Long.parseLong(row.group(1)) + Long.parseLong(row.group(2));
        }
        return sum;
    }

    private static HttpResponse<String> get(int port, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Issue 27: {@code jobs show --json} and {@code GET /api/jobs/{id}} write a job alike, payload as its JSON value; a
     * list item of {@code jobs list --json} and of {@code GET /api/jobs} alike.
     */
    private static void oneShapeForAJobEverywhere(Cli cli, String url, int port) throws Exception {
        String queue = "shape";
        HttpResponse<String> enqueued = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/jobs"))
                        .header("Authorization", "Bearer " + TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        "{\"type\": \"report\", \"queue\": \"" + queue + "\", \"delay\": 3600,"
                                                + " \"unique_key\": \"r-1\", \"payload\": {\"a\": [1, 2.50, \"\u00e9\"], \"b\": null}}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(enqueued.statusCode()).as(enqueued.body()).isEqualTo(201);
        long id = JSON.readTree(enqueued.body()).path("id").asLong();
        JsonNode api = JSON.readTree(
                get(port, "/api/jobs/" + id, "Authorization", "Bearer " + TOKEN).body());
        Cli.Result show = cli.run("jobs", "show", Long.toString(id), "--json", "--url", url);
        assertThat(show.exitCode()).as(show.toString()).isZero();
        JsonNode printed = JSON.readTree(show.out());
        assertThat(printed.path("payload").isObject())
                .as("the payload as its JSON value: " + show.out())
                .isTrue();
        assertThat(printed.path("payload").path("a").get(1).decimalValue()).isEqualByComparingTo("2.50");
        assertThat(printed).as("jobs show --json is GET /api/jobs/{id}").isEqualTo(api);
        JsonNode listed = JSON.readTree(get(port, "/api/jobs?queue=" + queue, "Authorization", "Bearer " + TOKEN)
                .body());
        JsonNode cliListed = JSON.readTree(cli.run("jobs", "list", "--queue", queue, "--json", "--url", url)
                .out());
        assertThat(cliListed).hasSize(1);
        assertThat(cliListed.get(0))
                .as("jobs list --json is GET /api/jobs")
                .isEqualTo(listed.path("jobs").get(0));
    }

    /**
     * Issue 29: a batch enqueued over HTTP, run by the worker, shown alike by {@code batch show --json}, {@code batch
     * list --json} and {@code GET /api/batches/{id}}; the commands' mistakes are one line (exit 2 for a bad id, 1 for
     * an unknown batch or one that has ended).
     */
    private static void batchesThroughTheApiAndTheCommand(Cli cli, String url, int port) throws Exception {
        HttpResponse<String> enqueued = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/batches"))
                        .header("Authorization", "Bearer " + TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"jobs\": [{\"type\": \"noop\", \"queue\":"
                                + " \"observed\"}, {\"type\": \"noop\", \"queue\": \"observed\"}], \"on_complete\":"
                                + " {\"type\": \"noop\", \"queue\": \"observed\"}, \"description\": \"nightly\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(enqueued.statusCode()).as(enqueued.body()).isEqualTo(201);
        long id = JSON.readTree(enqueued.body()).path("id").asLong();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> JSON.readTree(cli.run("batch", "show", Long.toString(id), "--json", "--url", url)
                                .out())
                        .path("state")
                        .asText()
                        .equals("succeeded"));
        JsonNode printed = JSON.readTree(cli.run("batch", "show", Long.toString(id), "--json", "--url", url)
                .out());
        JsonNode api = JSON.readTree(get(port, "/api/batches/" + id, "Authorization", "Bearer " + TOKEN)
                .body());
        assertThat(printed).as("batch show --json is GET /api/batches/{id}").isEqualTo(api);
        assertThat(printed.path("succeeded").asLong()).isEqualTo(2);
        assertThat(printed.path("callbacks").path("on_complete").asLong()).isPositive();
        JsonNode listed =
                JSON.readTree(cli.run("batch", "list", "--json", "--url", url).out());
        assertThat(listed.get(0)).as("batch list --json, newest first").isEqualTo(api);
        Cli.Result shown = cli.run("batch", "show", Long.toString(id), "--url", url);
        assertThat(shown.out())
                .contains("batch " + id + " (succeeded)")
                .contains("2 of 2 finished")
                .contains("nightly");
        assertThat(cli.run("batch", "list", "--url", url).out())
                .contains("SUCCEEDED")
                .contains("nightly");

        Cli.Result ended = cli.run("batch", "cancel", Long.toString(id), "--url", url);
        assertThat(ended.exitCode()).isEqualTo(1);
        assertThat(ended.err()).contains("batch " + id + " is succeeded already: nothing to cancel");
        assertThat(cli.run("batch", "retry", Long.toString(id), "--url", url).out())
                .contains("retried 0 failed member(s) of batch " + id);
        Cli.Result notAnId = cli.run("batch", "show", "abc", "--url", url);
        assertThat(notAnId.exitCode()).isEqualTo(2);
        assertThat(notAnId.err().strip()).as("one line").doesNotContain("\n").contains("'abc' is not a batch id");
        Cli.Result unknown = cli.run("batch", "show", "987654321", "--url", url);
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("no batch 987654321").doesNotContain("Exception");
    }

    /** 200 sockets that send one byte and then nothing: the probes must still answer, each within 1 s. */
    private static void probesOutlastSlowClients(int port) throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Socket socket = new Socket("127.0.0.1", port);
                socket.getOutputStream().write('G');
                slow.add(socket);
            }
            HttpClient fresh = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(1))
                    .build();
            for (String probe : new String[] {"/healthz", "/readyz", "/healthz"}) {
                HttpResponse<String> answer = fresh.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + probe))
                                .timeout(Duration.ofSeconds(1))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(probe + ": " + answer.body()).isEqualTo(200);
            }
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    @Test
    void aWorkerExposesMetricsAndProbesOnItsHttpPort() throws Exception {
        MariaDbServer server = DB.server();
        String url = server.url(JdbcDriver.MARIADB);
        Cli cli = CliTestSupport.against(dir, server);
        assertThat(cli.run("migrate", "--url", url).exitCode())
                .as("only migrate creates the schema")
                .isZero();
        cli.run("enqueue", "--url", url, "--type", "noop", "--queue", "observed", "--count", "5");

        assertThat(cli.run("work", "--url", url, "--http-port", "0", "--http-bind", "0.0.0.0")
                        .exitCode())
                .as("an open bind without a token")
                .isEqualTo(2);
        Path tokenFile = dir.resolve("ui-token");
        Files.writeString(tokenFile, TOKEN + "\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        Cli.Running worker = cli.start(
                "work",
                "--url",
                url,
                "--queue",
                "observed",
                "--http-port",
                "0",
                "--lease",
                "3s",
                "--http-bind",
                "0.0.0.0",
                "--token-file",
                tokenFile.toString());
        int port = port(worker);
        String[] bearer = {"Authorization", "Bearer " + TOKEN};
        assertThat(get(port, "/metrics").statusCode())
                .as("--token-file protects the worker's dashboard")
                .isEqualTo(401);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> get(port, "/metrics", bearer)
                        .body()
                        .contains("steadfast_jobs_total{event=\"succeeded\",queue=\"observed\",type=\"noop\"} 5.0"));
        probesOutlastSlowClients(port);
        batchesThroughTheApiAndTheCommand(cli, url, port);
        HttpResponse<String> ready = get(port, "/readyz");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        JsonNode readiness = JSON.readTree(ready.body());
        assertThat(readiness.path("worker").path("state").asText()).isEqualTo("RUNNING");
        assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
        assertThat(get(port, "/workers", bearer).body()).contains("observed");

        // its connections die under it: the heartbeat reports the heal, the pages (which read the table) show it
        for (long id : server.connectionIds()) {
            server.killConnection(id);
        }
        cli.run("enqueue", "--url", url, "--type", "noop", "--queue", "observed");
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        lossesAndReplacements(get(port, "/connections", bearer).body()) > 0);
        assertThat(worker.err()).doesNotContain(TOKEN);

        worker.terminate();
        assertThat(worker.await(Duration.ofSeconds(60)).exitCode()).isZero();
    }

    @Test
    void serveShowsTheDashboardAndRefusesAnOpenBindWithoutAToken() throws Exception {
        MariaDbServer server = DB.server();
        String url = server.url(JdbcDriver.MYSQL);
        Cli cli = CliTestSupport.against(dir, server);
        assertThat(cli.run("migrate", "--url", url).exitCode())
                .as("only migrate creates the schema")
                .isZero();

        Cli.Result open = cli.run("serve", "--url", url, "--bind", "0.0.0.0");
        assertThat(open.exitCode()).isEqualTo(2);
        assertThat(open.err()).contains("STEADFAST_UI_TOKEN");

        cli.run("enqueue", "--url", url, "--type", "fail", "--queue", "shown", "--max-attempts", "1");
        cli.run("work", "--url", url, "--queue", "shown", "--stop-when-empty");
        Cli.Running serve = cli.start("serve", "--url", url, "--port", "0");
        try {
            int port = port(serve);
            HttpResponse<String> overview = get(port, "/");
            assertThat(overview.statusCode()).isEqualTo(200);
            assertThat(overview.body()).contains("queue=shown\">shown</a></td>");
            assertThat(get(port, "/failed").body()).contains("JobFailedAsAskedException");
            assertThat(get(port, "/connections").body()).contains("wait_timeout");
            assertThat(get(port, "/metrics").body())
                    .contains("steadfast_queue_depth")
                    .contains("steadfast_workers");
            probesOutlastSlowClients(port);
        } finally {
            serve.terminate();
        }
        assertThat(serve.await(Duration.ofSeconds(60)).exitCode()).isZero();
    }

    @Test
    void largePayloadsCannotRunTheDashboardOutOfMemory() throws Exception {
        MariaDbServer server = DB.server();
        String url = server.url(JdbcDriver.MARIADB);
        // 8 jobs of 12 MB: lists that loaded payloads held them all per request, and 4 requests ran a server out of
        // heap
        try (ResilientDatabase db = ResilientDatabase.builder()
                .jdbcUrl(url)
                .username(server.user())
                .password(server.password())
                .build()) {
            JobQueue queue = JobQueue.create(db).withMaxPayloadBytes(16 << 20);
            for (int i = 0; i < 8; i++) {
                queue.enqueue(JobRequest.of("noop")
                        .queue("heavy")
                        .delay(Duration.ofHours(1))
                        .payload(Map.of("blob", String.valueOf((char) ('a' + i)).repeat(12 << 20)))
                        .build());
            }
        }
        Cli.Running serve = CliTestSupport.against(dir, server).heap("96m").start("serve", "--url", url, "--port", "0");
        try {
            int port = port(serve);
            String list = get(port, "/jobs?state=scheduled").body();
            Matcher ids = Pattern.compile("href=\"/jobs/(\\d+)\"").matcher(list);
            List<String> jobs = new ArrayList<>();
            while (ids.find()) {
                jobs.add(ids.group(1));
            }
            assertThat(jobs).hasSizeGreaterThanOrEqualTo(8);
            List<CompletableFuture<Integer>> pages = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 4; i++) {
                    String path = i % 2 == 0 ? "/jobs?state=scheduled" : "/jobs/" + jobs.get(i);
                    pages.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            return get(port, path).statusCode();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }));
                }
            }
            for (CompletableFuture<Integer> page : pages) {
                assertThat(page.get()).isEqualTo(200);
            }
            HttpResponse<String> download = get(port, "/jobs/" + jobs.get(0) + "/payload");
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat(download.body().length()).isGreaterThan(12 << 20);
            assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
            assertThat(serve.err()).doesNotContain("OutOfMemoryError");
        } finally {
            serve.terminate();
        }
        Cli.Result ended = serve.await(Duration.ofSeconds(60));
        assertThat(ended.exitCode()).as(ended.toString()).isZero();
    }

    /**
     * Issue 26: one 16 MB API body ran {@code serve -Xmx768m} out of heap (a Jackson tree costs tens of bytes per byte
     * sent). Now no tree is built and large bodies in memory are bounded by a budget (one at a time: another at once is
     * read, dropped and told 503 with Retry-After): on a small heap, large bodies sent in parallel are each taken or
     * refused with a JSON answer, one alone is taken, and the server lives on.
     */
    @Test
    void largeApiBodiesInParallelCannotExhaustTheHeap() throws Exception {
        MariaDbServer server = DB.server();
        String url = server.url(JdbcDriver.MARIADB);
        Cli cli = CliTestSupport.against(dir, server);
        assertThat(cli.run("migrate", "--url", url).exitCode()).isZero();
        Path tokenFile = dir.resolve("api-token");
        Files.writeString(tokenFile, TOKEN + "\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        Cli.Running serve =
                cli.heap("192m").start("serve", "--url", url, "--port", "0", "--token-file", tokenFile.toString());
        try {
            int port = port(serve);
            int size = 16_000_000;
            StringBuilder objects = new StringBuilder(size).append("{\"type\":\"noop\",\"payload\":[{}");
            while (objects.length() < size - 3) {
                objects.append(",{}");
            }
            String issueBody = objects.append("]}").toString(); // the reviewer's body: millions of tokens
            String blob = "{\"type\":\"noop\",\"queue\":\"heavy\",\"delay\":\"1h\",\"payload\":{\"blob\":\""
                    + "b".repeat(size - 100) + "\"}}"; // a legitimate payload near the limit
            List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
            for (String body : List.of(issueBody, blob, blob, issueBody, blob, blob)) {
                sent.add(HTTP.sendAsync(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/jobs"))
                                .header("Authorization", "Bearer " + TOKEN)
                                .header("Content-Type", "application/json")
                                .timeout(Duration.ofMinutes(3))
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (int i = 0; i < sent.size(); i++) {
                HttpResponse<String> answer = sent.get(i).get();
                assertThat(answer.headers().firstValue("Content-Type").orElse(""))
                        .as(answer.body())
                        .startsWith("application/json");
                if (i % 3 == 0) {
                    assertThat(answer.statusCode())
                            .as("too many tokens, or busy: " + answer.body())
                            .isIn(400, 503);
                } else {
                    assertThat(answer.statusCode()).as(answer.body()).isIn(201, 503);
                }
                if (answer.statusCode() == 503) {
                    assertThat(answer.headers().firstValue("Retry-After")).isPresent();
                }
            }
            HttpResponse<String> one = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/jobs"))
                            .header("Authorization", "Bearer " + TOKEN)
                            .header("Content-Type", "application/json")
                            // a bound, so that a server that never answers fails the test instead of hanging the run
                            // (seen once: this request waited 14 minutes with the server idle)
                            .timeout(Duration.ofMinutes(3))
                            .POST(HttpRequest.BodyPublishers.ofString(blob))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(one.statusCode())
                    .as("alone, a large body is taken: " + one.body())
                    .isEqualTo(201);
            HttpResponse<String> big = get(
                    port,
                    "/api/jobs/" + JSON.readTree(one.body()).path("id").asLong(),
                    "Authorization",
                    "Bearer " + TOKEN);
            assertThat(big.statusCode())
                    .as("a job of a 16 MB payload is shown on a small heap")
                    .isEqualTo(200);
            assertThat(JSON.readTree(big.body()).path("payload").path("blob").asText())
                    .hasSize(size - 100);
            oneShapeForAJobEverywhere(cli, url, port);
            assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
            assertThat(get(port, "/api/jobs/1", "Authorization", "Bearer " + TOKEN)
                            .statusCode())
                    .isIn(200, 404);
            assertThat(serve.err()).doesNotContain("OutOfMemoryError");
        } finally {
            serve.terminate();
        }
        Cli.Result ended = serve.await(Duration.ofSeconds(60));
        assertThat(ended.exitCode()).as(ended.toString()).isZero();
        assertThat(ended.err()).doesNotContain("OutOfMemoryError");
    }
}
