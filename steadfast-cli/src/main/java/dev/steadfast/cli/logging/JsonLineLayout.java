package dev.steadfast.cli.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steadfast.cli.Redactor;

import java.time.Instant;

/** {@code --log-json}: one JSON object per line (time, level, logger, thread, message, error), secrets masked. */
public final class JsonLineLayout extends LayoutBase<ILoggingEvent> {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public String doLayout(ILoggingEvent event) {
        Redactor redactor = Redactor.process();
        ObjectNode line = MAPPER.createObjectNode();
        line.put("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
        line.put("level", event.getLevel().toString());
        line.put("logger", event.getLoggerName());
        line.put("thread", event.getThreadName());
        line.put("message", redactor.redact(event.getFormattedMessage()));
        if (event.getThrowableProxy() != null) {
            line.put("error", redactor.redact(ThrowableProxyUtil.asString(event.getThrowableProxy())));
        }
        try {
            return MAPPER.writeValueAsString(line) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            return "{\"level\":\"ERROR\",\"message\":\"log line could not be written as JSON\"}" + System.lineSeparator();
        }
    }
}
