package dev.steadfast.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.queue.MissedTicks;
import dev.steadfast.queue.ScheduleView;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PrintedCadenceTest {
    private static ScheduleView every(Duration interval) {
        return new ScheduleView("s", null, interval, null, "t", "q", MissedTicks.SKIP, false, null, null, null);
    }

    @Test
    void anIntervalIsWordedAsEveryTakesIt() {
        assertThat(PrintedCadence.of(every(Duration.ofMinutes(5)))).isEqualTo("every 5m");
        assertThat(PrintedCadence.of(every(Duration.ofSeconds(90)))).isEqualTo("every 90s");
        assertThat(PrintedCadence.of(every(Duration.ofDays(2)))).isEqualTo("every 2d");
        assertThat(PrintedCadence.of(every(Duration.ofMillis(1500)))).isEqualTo("every 1500ms");
    }

    @Test
    @SuppressWarnings("deprecation")
    void theWordsAreThoseTheQueueUsedToReturn() {
        for (Duration d : new Duration[] {
            Duration.ofSeconds(1), Duration.ofMinutes(61), Duration.ofHours(24), Duration.ofMillis(2001)
        }) {
            assertThat(PrintedCadence.of(every(d))).isEqualTo(every(d).cadence());
        }
    }

    @Test
    void aCronExpressionIsShownAsWritten() {
        assertThat(PrintedCadence.of(new ScheduleView(
                        "s", "0 3 * * *", null, "UTC", "t", "q", MissedTicks.SKIP, false, null, null, null)))
                .isEqualTo("0 3 * * *");
    }
}
