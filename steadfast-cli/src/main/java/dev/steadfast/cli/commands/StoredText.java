package dev.steadfast.cli.commands;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.steadfast.cli.logging.JsonEscapes;
import dev.steadfast.queue.text.ControlCharacters;
import dev.steadfast.queue.text.Redactor;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the commands print from stored data (names, errors, stack traces, payloads, what a job command printed): secrets
 * masked by the process's {@link Redactor}, as the dashboard's pages mask them, and control characters shown as
 * {@code \n}, <code>&#92;u001b</code>... so that a job's text can neither send escape sequences to the terminal nor add lines
 * to a one-line field. {@code --json} output gets the same masking, JSON-escaped.
 */
final class StoredText {
    private static final int SUMMARY = 120;
    /** The lines a stack trace is made of, after its first: frames, omitted frames, causes, suppressed ones. */
    private static final Pattern TRACE_LINE =
            Pattern.compile("\\s*(at |\\.\\.\\. \\d+ |Caused by: |Suppressed: |\\[CIRCULAR REFERENCE)");

    private static final ObjectMapper JSON = new ObjectMapper(
                    new JsonFactoryBuilder().characterEscapes(new JsonEscapes()).build())
            .registerModule(new JavaTimeModule())
            .registerModule(new SimpleModule("redacted-text").addSerializer(String.class, new RedactedString()))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private StoredText() {}

    /** A value for one line: masked, every control character (line breaks included) visible. */
    static String line(Object value) {
        return ControlCharacters.oneLine(Redactor.process().redact(String.valueOf(value)));
    }

    /** A value for one cell of a table: as {@link #line}, runs of whitespace as one space, at most 120 characters. */
    static String summary(String text) {
        if (text == null) {
            return "";
        }
        // masked before it is cut: half a secret would no longer match its pattern or its value
        String line = ControlCharacters.oneLine(Redactor.process().redact(text).replaceAll("\\s+", " "));
        return line.length() > SUMMARY ? line.substring(0, SUMMARY - 3) + "..." : line;
    }

    /** Text of many lines (a stack trace, a payload, a job's output), each line printed after {@code indent}. */
    static void printLines(PrintWriter out, String indent, String text) {
        ControlCharacters.keepLines(Redactor.process().redact(text))
                .lines()
                .forEach(line -> out.println(indent + line));
    }

    /**
     * A stored stack trace, each of its lines after {@code indent}: the trace keeps its own lines (frames, causes), but
     * a line break inside an exception's message is shown as {@code \n} on the message's line, so that the message
     * cannot add lines that look like anything else.
     */
    static void printStackTrace(PrintWriter out, String indent, String trace) {
        List<String> lines = new ArrayList<>();
        ControlCharacters.keepLines(Redactor.process().redact(trace)).lines().forEach(line -> {
            if (lines.isEmpty() || TRACE_LINE.matcher(line).lookingAt()) {
                lines.add(line);
            } else {
                lines.set(lines.size() - 1, lines.get(lines.size() - 1) + "\\n" + line);
            }
        });
        lines.forEach(line -> out.println(indent + line));
    }

    /**
     * A labelled value that may hold line breaks (a payload): on the label's line when it is one line, else each of
     * its lines indented under the label.
     */
    static void printValue(PrintWriter out, String label, String text) {
        List<String> lines = ControlCharacters.keepLines(Redactor.process().redact(String.valueOf(text)))
                .lines()
                .toList();
        if (lines.size() == 1) {
            out.println(label + lines.get(0));
        } else {
            out.println(label.stripTrailing());
            lines.forEach(line -> out.println("    " + line));
        }
    }

    /** The value as JSON, every string in it masked. */
    static String json(Object value) throws JsonProcessingException {
        return JSON.writeValueAsString(value);
    }

    /** Strings are written masked; the JSON escapes do the rest. */
    private static final class RedactedString extends StdSerializer<String> {
        private static final long serialVersionUID = 1L;

        RedactedString() {
            super(String.class);
        }

        @Override
        public void serialize(String value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            generator.writeString(Redactor.process().redact(value));
        }
    }
}
