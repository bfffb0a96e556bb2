package dev.steadfast.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import dev.steadfast.testkit.PrivateMariaDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Webhook delivery of final failures and outages: chat-robot bodies, aggregation, and no secret ever sent. */
class NotificationsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WEBHOOK_TOKEN = "robot-token-7f3a9c";
    private static final String CLOUD_SECRET = "AKIAsecret-value-93xq";
    private static final String SSH_CLIENT = "203.0.113.77 52144 22";

    @RegisterExtension
    static final PrivateMariaDb DB = new PrivateMariaDb();

    @TempDir
    Path dir;

    @Test
    void aStormOfIdenticalFailuresBecomesOneMessageAndNoSecretLeaves() throws Exception {
        MariaDbServer server = DB.server();
        String url = server.url(JdbcDriver.MARIADB, "connectTimeout=5000");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            Cli cli = CliTestSupport.against(dir, server)
                    .env("STEADFAST_WEBHOOK_URL", receiver.url(WEBHOOK_TOKEN))
                    .env("AWS_SECRET_ACCESS_KEY", CLOUD_SECRET)
                    .env("SSH_CLIENT", SSH_CLIENT);
            assertThat(cli.run("migrate", "--url", url).exitCode())
                    .as("only migrate creates the schema")
                    .isZero();
            // the failure messages themselves carry secrets, as careless exception messages do
            String message = "charge failed for order 17: password=" + server.password() + " key " + CLOUD_SECRET
                    + " from " + SSH_CLIENT + " via mysql://app:" + server.password() + "@db:3306/shop";
            Cli.Result enqueued = cli.run(
                    "enqueue",
                    "--url",
                    url,
                    "--type",
                    "fail",
                    "--queue",
                    "storm",
                    "--max-attempts",
                    "1",
                    "--count",
                    "12",
                    "--payload",
                    JSON.writeValueAsString(Map.of("message", message)));
            assertThat(enqueued.exitCode()).as(enqueued.toString()).isZero();

            Cli.Result work = cli.run(
                    "work",
                    "--url",
                    url,
                    "--queue",
                    "storm",
                    "--stop-when-empty",
                    "--notify",
                    "webhook,log",
                    "--webhook-format",
                    "dingtalk",
                    "--notify-window",
                    "2s");
            assertThat(work.exitCode()).as(work.toString()).isZero();

            List<String> bodies = receiver.bodies();
            assertThat(bodies)
                    .as("the first failure at once, the other 11 as one aggregate")
                    .hasSize(2);
            JsonNode first =
                    JSON.readTree(bodies.get(0).substring(0, bodies.get(0).indexOf("\n#")));
            assertThat(first.path("msgtype").asText()).isEqualTo("text");
            assertThat(first.path("text").path("content").asText())
                    .startsWith("[steadfast] job failed for good: fail")
                    .contains("queue storm")
                    .contains("charge failed for order 17");
            JsonNode aggregate =
                    JSON.readTree(bodies.get(1).substring(0, bodies.get(1).indexOf("\n#")));
            assertThat(aggregate.path("text").path("content").asText()).contains("job failed for good: fail (x11)");
            assertThat(bodies.get(0)).contains("#content-type: application/json");

            String everything = String.join("\n", bodies) + work.err() + work.out();
            assertThat(everything)
                    .doesNotContain(
                            server.password() + "@",
                            "password=" + server.password(),
                            CLOUD_SECRET,
                            SSH_CLIENT,
                            WEBHOOK_TOKEN);
            assertThat(String.join("\n", bodies)).doesNotContain("PATH=", "HOME=", "JAVA_HOME", "STEADFAST_PASSWORD");
            assertThat(work.err()).as("the log notifier saw it too").contains("job failed for good: fail");
        }
    }

    @Test
    void anOutageLongerThanTheThresholdIsReportedAndSoIsTheRecovery() throws Exception {
        try (MariaDbServer server = MariaDbServer.launch();
                WebhookReceiver receiver = new WebhookReceiver()) {
            String url = server.url(JdbcDriver.MARIADB);
            Path config = dir.resolve("notify.json");
            Files.writeString(
                    config,
                    "{\"notifiers\": [{\"type\": \"webhook\", \"url\": \"" + receiver.url(WEBHOOK_TOKEN)
                            + "\", \"format\": \"slack\"}], \"databaseDownAfter\": \"2s\", \"window\": \"1s\", \"maxPerMinute\": 10}");
            Cli cli = CliTestSupport.against(dir, server);
            assertThat(cli.run("migrate", "--url", url).exitCode())
                    .as("only migrate creates the schema")
                    .isZero();
            Cli.Running worker =
                    cli.start("work", "--url", url, "--queue", "outage", "--notify-config", config.toString());
            await().atMost(Duration.ofSeconds(60)).until(() -> worker.err().contains("working on queues"));

            long stopped = System.nanoTime();
            server.stop();
            await().atMost(Duration.ofSeconds(60)).until(() -> receiver.bodies().size() >= 1);
            assertThat(Duration.ofNanos(System.nanoTime() - stopped))
                    .as("reported from the outage's first failure, not when a unit gives up after 30 s")
                    .isLessThan(Duration.ofSeconds(20));
            server.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> receiver.bodies().size() >= 2);
            worker.terminate();
            Cli.Result ended = worker.await(Duration.ofSeconds(60));
            assertThat(ended.exitCode()).as(ended.toString()).isZero();

            List<String> bodies = receiver.bodies();
            assertThat(JSON.readTree(bodies.get(0).substring(0, bodies.get(0).indexOf("\n#")))
                            .path("text")
                            .asText())
                    .startsWith("[steadfast] database unreachable")
                    .contains("claims wait");
            assertThat(JSON.readTree(bodies.get(1).substring(0, bodies.get(1).indexOf("\n#")))
                            .path("text")
                            .asText())
                    .startsWith("[steadfast] database reachable again");
            assertThat(bodies).as("one outage, one recovery").hasSize(2);
            assertThat(String.join("\n", bodies) + ended.err()).doesNotContain(WEBHOOK_TOKEN, server.password());
        }
    }
}
