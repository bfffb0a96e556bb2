package dev.steadfast.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.steadfast.queue.JobHandler;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.JobRequest;
import dev.steadfast.queue.notify.NotificationDispatcher;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** A job that fails for good reaches a real webhook receiver, its secrets redacted. */
class NotificationsTest {
    static final MariaDbServer SERVER = MariaDbServer.shared();

    @Configuration(proxyBeanMethods = false)
    static class Failing {
        @Bean
        JobHandler<Object> explode() {
            return JobHandler.of("explode", Object.class, (context, payload) -> {
                throw new IllegalStateException("card declined, password=" + SERVER.password() + " api_key=k-777");
            });
        }
    }

    @Test
    void aJobThatFailedForGoodIsSentToTheWebhookRedacted() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        String queueName = "notify-" + Long.toHexString(System.nanoTime());
        try {
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(SteadfastAutoConfiguration.class))
                    .withUserConfiguration(Failing.class)
                    .withPropertyValues(
                            "spring.datasource.url=" + SERVER.url(JdbcDriver.MARIADB),
                            "spring.datasource.username=" + SERVER.user(),
                            "spring.datasource.password=" + SERVER.password(),
                            "steadfast.worker.queues=" + queueName,
                            "steadfast.notifications.log=true",
                            "steadfast.notifications.webhook-url=http://127.0.0.1:"
                                    + receiver.getAddress().getPort() + "/hook?key=robot-secret-123",
                            "steadfast.notifications.webhook-format=slack")
                    .run(context -> {
                        assertThat(context).hasNotFailed().hasSingleBean(NotificationDispatcher.class);
                        context.getBean(JobQueue.class)
                                .enqueue(JobRequest.of("explode")
                                        .queue(queueName)
                                        .maxAttempts(1)
                                        .build());
                        await().atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty());
                    });
        } finally {
            receiver.stop(0);
        }
        String body = received.get(0);
        assertThat(body)
                .startsWith("{\"text\":")
                .contains("explode")
                .contains("card declined")
                .doesNotContain(SERVER.password())
                .doesNotContain("k-777")
                .doesNotContain("robot-secret-123");
    }

    @Test
    void aWebhookThatIsNoUrlIsRefusedBeforeConnecting() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SteadfastAutoConfiguration.class))
                .withPropertyValues(
                        "spring.datasource.url=jdbc:mariadb://db.invalid/app",
                        "steadfast.notifications.webhook-url=ftp://robot.example/hook?key=s3cret-value")
                .run(context -> {
                    Throwable root = context.getStartupFailure();
                    while (root.getCause() != null) {
                        root = root.getCause();
                    }
                    assertThat(root.getMessage())
                            .contains("steadfast.notifications.webhook-url must be an http:// or https:// URL")
                            .doesNotContain("s3cret-value");
                });
    }
}
