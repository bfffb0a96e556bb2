package dev.steadfast.queue.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThrottleTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-25T00:00:00Z"));

    private Notification failure(String key) {
        return new Notification(
                Notification.Kind.JOB_FAILED, key, "job failed for good: " + key, "details", 1, clock.instant());
    }

    @Test
    void aStormOfOneKeyIsTheFirstMessageThenOneAggregatePerWindow() {
        Throttle throttle = new Throttle(Duration.ofSeconds(60), 100, clock);
        assertThat(throttle.offer(failure("a"))).hasSize(1);
        for (int i = 0; i < 499; i++) {
            assertThat(throttle.offer(failure("a"))).isEmpty();
        }
        clock.advance(Duration.ofSeconds(30));
        assertThat(throttle.due()).as("the window has not ended").isEmpty();
        clock.advance(Duration.ofSeconds(31));
        List<Notification> due = throttle.due();
        assertThat(due).singleElement().satisfies(n -> {
            assertThat(n.count()).isEqualTo(499);
            assertThat(n.headline()).isEqualTo("job failed for good: a (x499)");
        });
        clock.advance(Duration.ofSeconds(61));
        assertThat(throttle.due()).as("a quiet window sends nothing").isEmpty();
        assertThat(throttle.offer(failure("a")))
                .as("after a quiet window the next one goes out at once")
                .hasSize(1);
    }

    @Test
    void differentKeysAreNotMerged() {
        Throttle throttle = new Throttle(Duration.ofSeconds(60), 100, clock);
        assertThat(throttle.offer(failure("a"))).hasSize(1);
        assertThat(throttle.offer(failure("b"))).hasSize(1);
    }

    @Test
    void theRateLimitHoldsMessagesBackWithoutDroppingThem() {
        Throttle throttle = new Throttle(Duration.ofSeconds(10), 3, clock);
        List<Notification> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sent.addAll(throttle.offer(failure("k" + i)));
        }
        assertThat(sent).hasSize(3);
        clock.advance(Duration.ofSeconds(11));
        assertThat(throttle.due()).as("still within the minute's budget").isEmpty();
        clock.advance(Duration.ofSeconds(50));
        sent.addAll(throttle.due());
        assertThat(sent).hasSize(6);
        List<Notification> rest = throttle.drain();
        assertThat(rest).hasSize(4);
        assertThat(sent.size() + rest.size()).as("every key reported once").isEqualTo(10);
    }
}
