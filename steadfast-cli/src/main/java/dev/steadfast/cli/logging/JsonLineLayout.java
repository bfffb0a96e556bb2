package dev.steadfast.cli.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steadfast.queue.text.Redactor;
import java.time.Instant;
import org.slf4j.event.KeyValuePair;

/**
 * {@code --log-json}: one JSON object per line (time, level, logger, thread, message, error, and the line's facts
 * such as job_id, type, queue, attempt, duration_ms, outcome, operation as fields of their own), secrets masked.
 */
public final class JsonLineLayout extends LayoutBase<ILoggingEvent> {
    // JSON escapes line breaks and C0 controls itself; C1 controls and their like are escaped too
    private static final ObjectMapper MAPPER = new ObjectMapper(
            new JsonFactoryBuilder().characterEscapes(new JsonEscapes()).build());

    /** A key as a field name that cannot replace the line's own fields. */
    private static String fieldName(String key) {
        String name = key.startsWith("steadfast.") ? key.substring("steadfast.".length()) : key;
        return switch (name) {
            case "time", "level", "logger", "thread", "message", "error" -> "field_" + name;
            default -> name;
        };
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        Redactor redactor = Redactor.process();
        ObjectNode line = MAPPER.createObjectNode();
        line.put("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
        line.put("level", event.getLevel().toString());
        line.put("logger", event.getLoggerName());
        line.put("thread", event.getThreadName());
        line.put("message", redactor.redact(event.getFormattedMessage()));
        // the facts of a line (a job's id, type, queue, duration...) as fields of their own, for log queries
        event.getMDCPropertyMap().forEach((key, value) -> line.put(fieldName(key), redactor.redact(value)));
        if (event.getKeyValuePairs() != null) {
            for (KeyValuePair pair : event.getKeyValuePairs()) {
                if (pair.value instanceof Number number) {
                    line.put(fieldName(pair.key), number.longValue());
                } else {
                    line.put(
                            fieldName(pair.key),
                            pair.value == null ? null : redactor.redact(String.valueOf(pair.value)));
                }
            }
        }
        if (event.getThrowableProxy() != null) {
            line.put(
                    "error",
                    redactor.redact(ThrowableProxyUtil.asString(SafeThrowableProxy.of(event.getThrowableProxy()))));
        }
        try {
            return MAPPER.writeValueAsString(line) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            return "{\"level\":\"ERROR\",\"message\":\"log line could not be written as JSON\"}"
                    + System.lineSeparator();
        }
    }
}
