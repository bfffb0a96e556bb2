package dev.steadfast.queue.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.queue.events.WorkerEvent;
import dev.steadfast.queue.text.Redactor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What leaves through a notifier is redacted, the title included (a job type can carry anything). */
class NotificationRedactionTest {

    @Test
    void titlesAndTextsAreRedacted() {
        List<Notification> sent = new CopyOnWriteArrayList<>();
        Notifier capture = new Notifier() {
            @Override
            public void send(Notification n) {
                sent.add(n);
            }

            @Override
            public String describe() {
                return "capture";
            }
        };
        NotificationDispatcher dispatcher = new NotificationDispatcher(
                List.of(capture),
                new NotificationPolicy(Duration.ofSeconds(60), Duration.ofSeconds(60), 20),
                () -> Redactor.of(List.of("registered-value-1")),
                Clock.systemUTC());
        dispatcher.onEvent(new WorkerEvent.JobFinished(
                7,
                "q",
                "sync?token=type-secret-9",
                1,
                1,
                WorkerEvent.JobFinished.Result.FAILED,
                Duration.ofMillis(5),
                "IllegalStateException",
                "failed with registered-value-1 and api_key=k-77",
                "w1",
                Instant.now()));
        dispatcher.close();
        assertThat(sent).hasSize(1);
        Notification n = sent.get(0);
        assertThat(n.title()).contains("sync?token=***").doesNotContain("type-secret-9");
        assertThat(n.text())
                .doesNotContain("type-secret-9")
                .doesNotContain("registered-value-1")
                .doesNotContain("k-77");
    }
}
