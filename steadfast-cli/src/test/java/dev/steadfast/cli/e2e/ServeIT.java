package dev.steadfast.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import dev.steadfast.testkit.PrivateMariaDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code steadfast serve} and {@code work --http-port} as processes: pages, metrics and probes over HTTP. */
class ServeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ADDRESS = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    static final PrivateMariaDb DB = new PrivateMariaDb();

    @TempDir
    Path dir;

    private static int port(Cli.Running running) {
        await().atMost(Duration.ofSeconds(60)).until(() -> ADDRESS.matcher(running.out() + running.err()).find());
        Matcher m = ADDRESS.matcher(running.out() + running.err());
        assertThat(m.find()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** Losses plus dead connections replaced, summed over the live workers' table of the connections page. */
    private static long lossesAndReplacements(String page) {
        int table = page.indexOf("<table id=\"worker-connections\">");
        String rows = page.substring(table, page.indexOf("</table>", table));
        Matcher row = Pattern.compile("<tr><td>[^<]+</td><td class=\"num\">(\\d+)</td><td class=\"num\">\\d+</td>"
                + "<td class=\"num\">(\\d+)</td>").matcher(rows);
        long sum = 0;
        while (row.find()) {
            sum += Long.parseLong(row.group(1)) + Long.parseLong(row.group(2));
        }
        return sum;
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aWorkerExposesMetricsAndProbesOnItsHttpPort() throws Exception {
        MariaDbServer server = DB.server();
        String url = server.url(JdbcDriver.MARIADB);
        Cli cli = CliTestSupport.against(dir, server);
        cli.run("enqueue", "--url", url, "--type", "noop", "--queue", "observed", "--count", "5");

        Cli.Running worker = cli.start("work", "--url", url, "--queue", "observed", "--http-port", "0", "--lease", "3s");
        int port = port(worker);
        await().atMost(Duration.ofSeconds(30)).until(() -> get(port, "/metrics").body()
                .contains("steadfast_jobs_total{event=\"succeeded\",queue=\"observed\",type=\"noop\"} 5.0"));
        HttpResponse<String> ready = get(port, "/readyz");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        JsonNode readiness = JSON.readTree(ready.body());
        assertThat(readiness.path("worker").path("state").asText()).isEqualTo("RUNNING");
        assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
        assertThat(get(port, "/workers").body()).contains("observed");

        // its connections die under it: the heartbeat reports the heal, the pages (which read the table) show it
        for (long id : server.connectionIds()) {
            server.killConnection(id);
        }
        cli.run("enqueue", "--url", url, "--type", "noop", "--queue", "observed");
        await().atMost(Duration.ofSeconds(30)).until(() -> lossesAndReplacements(get(port, "/connections").body()) > 0);

        worker.terminate();
        assertThat(worker.await(Duration.ofSeconds(60)).exitCode()).isZero();
    }

    @Test
    void serveShowsTheDashboardAndRefusesAnOpenBindWithoutAToken() throws Exception {
        MariaDbServer server = DB.server();
        String url = server.url(JdbcDriver.MYSQL);
        Cli cli = CliTestSupport.against(dir, server);

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
            assertThat(overview.body()).contains("<td>shown</td>");
            assertThat(get(port, "/failed").body()).contains("JobFailedAsAskedException");
            assertThat(get(port, "/connections").body()).contains("wait_timeout");
            assertThat(get(port, "/metrics").body()).contains("steadfast_queue_depth").contains("steadfast_workers");
        } finally {
            serve.terminate();
        }
        assertThat(serve.await(Duration.ofSeconds(60)).exitCode()).isZero();
    }
}
