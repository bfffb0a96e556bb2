package dev.steadfast.cli.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import dev.steadfast.queue.text.Redactor;

/** {@code %redactedEx}: stack traces with secrets masked in their messages, each message on one line. */
public final class RedactingThrowableConverter extends ThrowableProxyConverter {
    @Override
    protected String throwableProxyToString(IThrowableProxy proxy) {
        return Redactor.process().redact(super.throwableProxyToString(SafeThrowableProxy.of(proxy)));
    }
}
