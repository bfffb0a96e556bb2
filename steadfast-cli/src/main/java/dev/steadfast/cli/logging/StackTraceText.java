package dev.steadfast.cli.logging;

import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import dev.steadfast.queue.text.Redactor;

/**
 * A throwable's stack trace fit to print ({@code --debug}): its own lines kept, each exception's message on one line
 * with its control characters visible, and secrets masked, as in the log.
 */
public final class StackTraceText {
    private StackTraceText() {}

    /** The trace of {@code error} and its causes, ending with a line break. */
    public static String of(Throwable error) {
        return Redactor.process().redact(ThrowableProxyUtil.asString(SafeThrowableProxy.of(new ThrowableProxy(error))));
    }
}
