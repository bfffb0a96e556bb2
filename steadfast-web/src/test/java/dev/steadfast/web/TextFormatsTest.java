package dev.steadfast.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadfast.queue.RateLimit;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Durations and rates as the command's options, the API's fields and the dashboard's forms read and print them. */
class TextFormatsTest {
    @Test
    void durationsReadAndPrintInTheUnitsOperatorsWrite() {
        assertThat(DurationText.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationText.parse(" 45 ")).as("a bare number is seconds").isEqualTo(Duration.ofSeconds(45));
        assertThat(DurationText.parse("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(DurationText.format(Duration.ofHours(48))).isEqualTo("2d");
        assertThat(DurationText.format(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(DurationText.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(DurationText.format(Duration.ZERO)).isEqualTo("0ms");
        assertThatThrownBy(() -> DurationText.parse("1.5h"))
                .isInstanceOf(DurationText.NotADuration.class)
                .hasMessage("'1.5h' is not a duration (examples: 500ms, 30s, 5m, 1h, 2d)");
        assertThatThrownBy(() -> DurationText.parse("99999999999999999999d"))
                .isInstanceOf(DurationText.NotADuration.class)
                .hasMessage("'99999999999999999999d' is too long a duration");
    }

    @Test
    void ratesReadAndPrintAsNPerDuration() {
        assertThat(RateText.parse("10/s")).isEqualTo(RateLimit.of(10, Duration.ofSeconds(1)));
        assertThat(RateText.parse("100 / 5m")).isEqualTo(RateLimit.of(100, Duration.ofMinutes(5)));
        assertThat(RateText.format(RateLimit.of(5, Duration.ofMillis(500)))).isEqualTo("5/500ms");
        assertThat(RateText.json(RateLimit.of(10, Duration.ofSeconds(1))))
                .isEqualTo(Map.of("jobs", 10, "per", "1s", "per_ms", 1000L));
        assertThat(RateText.json(null)).isNull();
        assertThatThrownBy(() -> RateText.parse("fast"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'fast' is not a rate (N/DURATION: 10/1s, 100/5m, 5/500ms, 1000/h)");
        assertThatThrownBy(() -> RateText.parse("10/soon"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "'10/soon' is not a rate: 'soon' is not a duration (N/DURATION: 10/1s, 100/5m, 5/500ms, 1000/h)");
        assertThatThrownBy(() -> RateText.parse("0/1s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'0/1s': ")
                .hasMessageEndingWith("(N/DURATION: 10/1s, 100/5m, 5/500ms, 1000/h)");
    }
}
