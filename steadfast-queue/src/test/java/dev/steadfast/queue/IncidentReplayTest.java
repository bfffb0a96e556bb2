package dev.steadfast.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.PrivateMariaDb;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * The incident that started Steadfast: the server closes idle connections after 2 s, the worker idles
 * for 5 s, then a job fails its last attempt. Its record must be in the failed-job log, and no error
 * but the job's own may reach the log.
 */
class IncidentReplayTest {
    @RegisterExtension
    static final PrivateMariaDb DB = new PrivateMariaDb("--wait-timeout=2", "--interactive-timeout=2");

    @ParameterizedTest
    @EnumSource(JdbcDriver.class)
    void failedTaskIsRecordedAfterTheWorkerIdledPastWaitTimeout(JdbcDriver driver) throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        log.start();
        root.addAppender(log);
        String name = QueueTestSupport.uniqueQueue("incident");
        try (ResilientDatabase db = QueueTestSupport.database(DB.server(), driver)) {
            JobQueue queue = JobQueue.create(db);
            Handlers.Failing fail = new Handlers.Failing();
            Worker worker =
                    QueueTestSupport.fastWorker(queue, name).handler(fail).build();
            worker.start();
            try {
                Thread.sleep(5000); // a quiet queue: every pooled connection is closed by the server meanwhile
                long id = queue.enqueue(JobRequest.of("fail")
                        .queue(name)
                        .maxAttempts(1)
                        .payload(Map.of("message", "the task's own failure"))
                        .build());
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> queue.browser().failures(JobFilter.all(), null, 10).stream()
                                .anyMatch(f -> f.id() == id));
                FailedJob record = queue.browser().failures(JobFilter.all(), null, 10).stream()
                        .filter(f -> f.id() == id)
                        .findFirst()
                        .orElseThrow();
                assertThat(record.message()).isEqualTo("the task's own failure");
            } finally {
                worker.stop();
                worker.awaitTermination(Duration.ofSeconds(30));
            }
        } finally {
            root.detachAppender(log);
        }
        List<String> problems = log.list.stream()
                // the start-up advice to raise wait_timeout is configuration advice, not an error
                .filter(e -> !e.getFormattedMessage().startsWith("pool tuning:"))
                // the job's own final failure is reported at WARN, by design; only connection trouble is a problem here
                .filter(e ->
                        !e.getFormattedMessage().endsWith("java.lang.IllegalStateException: the task's own failure"))
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR)
                        || (e.getLevel().isGreaterOrEqual(Level.WARN)
                                && e.getLoggerName().startsWith("dev.steadfast"))
                        || e.getFormattedMessage().toLowerCase().contains("gone away")
                        || e.getFormattedMessage().contains("Communications link failure"))
                .map(e -> e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage())
                .toList();
        assertThat(problems).as("errors that reached the log").isEmpty();
        assertThat(log.list).anyMatch(e -> e.getFormattedMessage().contains("the task's own failure"));
    }
}
