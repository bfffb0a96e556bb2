package dev.steadfast.cli.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.steadfast.queue.notify.Redactor;

/** {@code %redactedMsg}: the log message with secrets masked (a job's error text can hold anything). */
public final class RedactingMessageConverter extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return Redactor.process().redact(event.getFormattedMessage());
    }
}
