package dev.steadfast.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.JobRequest;
import dev.steadfast.queue.JobStatus;
import dev.steadfast.spring.orders.OrdersApplication;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The application as a process of its own, stopped by SIGTERM as a supervisor or Kubernetes stops it. */
class ShutdownTest {
    static final MariaDbServer SERVER = MariaDbServer.shared();

    @Test
    void sigtermLetsTheRunningJobFinishLeavesTheRestQueuedAndExitsZero() throws Exception {
        SERVER.execute(OrdersApplication.SCHEMA, OrdersApplication.LEDGER);
        String queueName = "shutdown-" + Long.toHexString(System.nanoTime());
        Path log = Files.createTempFile("steadfast-spring-app", ".log");
        ProcessBuilder app = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        OrdersApplication.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        app.environment().put("SPRING_DATASOURCE_URL", SERVER.url(JdbcDriver.MYSQL));
        app.environment().put("SPRING_DATASOURCE_USERNAME", SERVER.user());
        app.environment().put("SPRING_DATASOURCE_PASSWORD", SERVER.password());
        app.environment().put("STEADFAST_WORKER_QUEUES", queueName);
        app.environment().put("STEADFAST_WORKER_CONCURRENCY", "1");
        app.environment().put("STEADFAST_WORKER_SHUTDOWN_GRACE", "20s");
        Process process = app.start();
        try (ResilientDatabase db = ResilientDatabase.builder()
                .jdbcUrl(SERVER.url(JdbcDriver.MARIADB))
                .username(SERVER.user())
                .password(SERVER.password())
                .build()) {
            JobQueue queue = JobQueue.create(db);
            long slow = queue.enqueue(JobRequest.of("book-order")
                    .queue(queueName)
                    .payload(new OrdersApplication.Booking(-1, 3, 3000))
                    .build());
            long waiting = queue.enqueue(JobRequest.of("book-order")
                    .queue(queueName)
                    .payload(new OrdersApplication.Booking(-2, 4, 0))
                    .build());
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> queue.browser().job(slow).orElseThrow().status() == JobStatus.RUNNING);

            process.destroy(); // SIGTERM
            assertThat(process.waitFor(60, TimeUnit.SECONDS))
                    .as("stopped within the grace")
                    .isTrue();
            String output = Files.readString(log);
            assertThat(process.exitValue()).as(output).isZero();
            assertThat(output).contains("SIGTERM: shutting down gracefully").doesNotContain(SERVER.password());
            assertThat(queue.browser().job(slow).orElseThrow().status())
                    .as("the running job finished in the grace")
                    .isEqualTo(JobStatus.SUCCEEDED);
            assertThat(SERVER.queryLong("SELECT COUNT(*) FROM test_ledger WHERE job_id = " + slow))
                    .isEqualTo(1);
            assertThat(queue.browser().job(waiting).orElseThrow().status())
                    .as("the next one was not started, nor lost")
                    .isEqualTo(JobStatus.PENDING);
            queue.cancel(waiting);
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }
}
