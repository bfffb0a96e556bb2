package dev.steadfast.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.queue.text.Redactor;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the commands print from stored data: masked as on the dashboard, no raw control character. */
class StoredTextTest {
    private static final String SECRET = "stored-text-secret-4242";

    static {
        Redactor.registerSecret(SECRET);
    }

    @Test
    void oneLineFieldsAreMaskedAndShowTheirControls() {
        assertThat(StoredText.line("declined\n2026 INFO job 9 succeeded \u001b[31m" + SECRET))
                .isEqualTo("declined\\n2026 INFO job 9 succeeded \\u001b[31m***");
        assertThat(StoredText.line(null)).isEqualTo("null");
        assertThat(StoredText.summary("a\n  b\u001b]0;title\u0007 password=hunter2 " + "x".repeat(200)))
                .startsWith("a b\\u001b]0;title\\u0007 password=*** x")
                .hasSize(120)
                .endsWith("...");
        assertThat(StoredText.summary(null)).isEmpty();
    }

    @Test
    void manyLinesKeepTheirLinesIndentedWithEscapesVisible() {
        StringWriter text = new StringWriter();
        try (PrintWriter out = new PrintWriter(text)) {
            StoredText.printLines(out, "    ", "\u001b[32mok\u001b[0m\r\nsecond " + SECRET + "\rover");
        }
        assertThat(text.toString())
                .isEqualTo(
                        "    \\u001b[32mok\\u001b[0m\n    second ***\\rover\n".replace("\n", System.lineSeparator()));
    }

    @Test
    void aStoredStackTraceKeepsItsLinesButNotTheLinesOfItsMessages() {
        String trace =
                "java.lang.IllegalStateException: declined\n1999-01-01T00:00:00.000Z INFO  jobs - job 9 succeeded\n"
                        + "\tat a.B.c(B.java:1)\n\tat a.B.d(B.java:2)\n\tSuppressed: java.io.IOException: closing\n\t\tat a.C.e(C.java:3)\n"
                        + "Caused by: java.sql.SQLException: second\r\nline \u001b[2J" + SECRET + "\n\t... 2 more\n";
        StringWriter text = new StringWriter();
        try (PrintWriter out = new PrintWriter(text)) {
            StoredText.printStackTrace(out, "    ", trace);
        }
        assertThat(text.toString().lines())
                .containsExactly(
                        "    java.lang.IllegalStateException: declined\\n1999-01-01T00:00:00.000Z INFO  jobs - job 9 succeeded",
                        "    \tat a.B.c(B.java:1)",
                        "    \tat a.B.d(B.java:2)",
                        "    \tSuppressed: java.io.IOException: closing",
                        "    \t\tat a.C.e(C.java:3)",
                        "    Caused by: java.sql.SQLException: second\\nline \\u001b[2J***",
                        "    \t... 2 more");
    }

    @Test
    void jsonIsMaskedAndEscapedAndMeansTheSameOtherwise() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", "declined\n\u001b[31m " + SECRET + " \u009b2J");
        m.put("output", List.of("{\"password\": \"hunter2\"}"));
        m.put("at", Instant.parse("2026-12-07T17:00:00Z"));
        m.put("attempts", 2);
        String json = StoredText.json(m);
        assertThat(json).doesNotContain("\n", "\u001b", "\u009b", SECRET, "hunter2");
        var parsed = new ObjectMapper().readTree(json);
        assertThat(parsed.path("error").asText()).isEqualTo("declined\n\u001b[31m *** \u009b2J");
        assertThat(parsed.path("output").get(0).asText()).isEqualTo("{\"password\": \"***\"}");
        assertThat(parsed.path("at").asText()).isEqualTo("2026-12-07T17:00:00Z");
        assertThat(parsed.path("attempts").asInt()).isEqualTo(2);
    }
}
