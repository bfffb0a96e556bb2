package dev.steadfast.cli.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.steadfast.queue.text.ControlCharacters;
import dev.steadfast.queue.text.Redactor;

/**
 * {@code %redactedMsg}: the log message with secrets masked and on one line (a job's error text can hold anything: a
 * line break in it must not forge a log line, an escape sequence must not reach the terminal), control characters
 * shown as {@code \n}, <code>&#92;u001b</code>...
 */
public final class RedactingMessageConverter extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return ControlCharacters.oneLine(Redactor.process().redact(event.getFormattedMessage()));
    }
}
