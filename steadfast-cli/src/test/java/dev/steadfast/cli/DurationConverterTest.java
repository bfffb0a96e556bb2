package dev.steadfast.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DurationConverterTest {
    @Test
    void readsTheUnitsOperatorsWrite() {
        assertThat(DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationConverter.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(DurationConverter.parse("45")).isEqualTo(Duration.ofSeconds(45));
        assertThat(DurationConverter.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(DurationConverter.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(DurationConverter.parse("2d")).isEqualTo(Duration.ofDays(2));
    }

    @Test
    void rejectsAnythingElseWithExamples() {
        assertThatThrownBy(() -> DurationConverter.parse("1.5h"))
                .isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("examples: 500ms, 30s");
        assertThatThrownBy(() -> DurationConverter.parse("-5s"))
                .isInstanceOf(CommandLine.TypeConversionException.class);
    }
}
