package dev.steadfast.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Every log line stays one line, whatever a job's message holds; escapes never reach the terminal raw. */
class LogLinesTest {
    private static final String FORGED =
            "declined\n2026-12-07T17:00:00.000Z INFO  jobs - job 999 succeeded \u001b[31mred\u001b]0;owned\u0007 \u009b2J";
    private final LoggerContext context = new LoggerContext();

    LogLinesTest() {
        context.setMDCAdapter(new LogbackMDCAdapter());
    }

    private LoggingEvent event(String message, Throwable error, Object... args) {
        return new LoggingEvent(
                LogLinesTest.class.getName(), context.getLogger("jobs"), Level.WARN, message, error, args);
    }

    @Test
    void theTextLayoutsMessageIsOneLineWithItsControlsVisible() {
        String line = new RedactingMessageConverter().convert(event("job 7 failed: {}", null, FORGED));
        assertThat(line)
                .doesNotContain("\n", "\u001b", "\u0007", "\u009b")
                .isEqualTo("job 7 failed: declined\\n2026-12-07T17:00:00.000Z INFO  jobs - job 999 succeeded"
                        + " \\u001b[31mred\\u001b]0;owned\\u0007 \\u009b2J");
    }

    @Test
    void stackTracesKeepTheirLinesButNotTheLinesOfTheirMessages() {
        RedactingThrowableConverter converter = new RedactingThrowableConverter();
        converter.setContext(context);
        converter.start();
        Exception error =
                new IllegalStateException("outer\nforged line", new RuntimeException("inner\r\n\u001b[2Jcause"));
        String trace = converter.convert(event("job failed", error));
        assertThat(trace)
                .contains(
                        "java.lang.IllegalStateException: outer\\nforged line",
                        "\tat ",
                        "Caused by: java.lang.RuntimeException: inner\\r\\n\\u001b[2Jcause")
                .doesNotContain("\u001b");
        assertThat(trace.lines())
                .as("every line is the trace's own")
                .allSatisfy(
                        l -> assertThat(l)
                                .matches(
                                        "(java\\.lang\\.IllegalStateException: .*|Caused by: .*|\\tat .*|\\t\\.\\.\\. \\d+ common frames omitted)"));

        String debug = StackTraceText.of(error);
        assertThat(debug).contains("outer\\nforged line", "\tat ").doesNotContain("\u001b");
        assertThat(debug.lines()).noneMatch(l -> l.startsWith("forged line"));
    }

    @Test
    void theJsonLayoutEscapesEveryControlCharacterAndStaysOneLine() throws Exception {
        String line = new JsonLineLayout()
                .doLayout(event("job 7 failed: {}", new IllegalStateException("bad\n\u001b[31m"), FORGED));
        assertThat(line).endsWith(System.lineSeparator());
        assertThat(line.strip())
                .doesNotContain("\n", "\r", "\u001b", "\u0007", "\u009b")
                .contains("\\u001B[31m", "\\u009B2J");
        JsonNode parsed = new ObjectMapper().readTree(line);
        assertThat(parsed.path("message").asText())
                .as("the same text, JSON-escaped")
                .isEqualTo("job 7 failed: " + FORGED);
        assertThat(parsed.path("error").asText()).contains("IllegalStateException: bad\\n\\u001b[31m");
    }
}
