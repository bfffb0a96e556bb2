package dev.steadfast.cli.logging;

import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import dev.steadfast.queue.text.ControlCharacters;

/**
 * A throwable as logback prints it, with its message (and its causes' and suppressed ones') on one line and control
 * characters visible: a stack trace keeps its own line structure, but an exception's text cannot add lines to it or
 * send escape sequences to a terminal.
 */
final class SafeThrowableProxy implements IThrowableProxy {
    private final IThrowableProxy proxy;

    private SafeThrowableProxy(IThrowableProxy proxy) {
        this.proxy = proxy;
    }

    /** The proxy made safe (null stays null). */
    static IThrowableProxy of(IThrowableProxy proxy) {
        return proxy == null || proxy instanceof SafeThrowableProxy ? proxy : new SafeThrowableProxy(proxy);
    }

    @Override
    public String getMessage() {
        return ControlCharacters.oneLine(proxy.getMessage());
    }

    @Override
    public String getClassName() {
        return ControlCharacters.oneLine(proxy.getClassName());
    }

    @Override
    public StackTraceElementProxy[] getStackTraceElementProxyArray() {
        StackTraceElementProxy[] frames = proxy.getStackTraceElementProxyArray();
        if (frames == null) {
            return null;
        }
        StackTraceElementProxy[] safe = frames.clone();
        for (int i = 0; i < safe.length; i++) {
            StackTraceElement e = frames[i].getStackTraceElement();
            String type = ControlCharacters.oneLine(e.getClassName());
            String method = ControlCharacters.oneLine(e.getMethodName());
            String file = ControlCharacters.oneLine(e.getFileName());
            // the same instances unless something was escaped (the JVM allows line breaks in method names)
            if (type != e.getClassName() || method != e.getMethodName() || file != e.getFileName()) {
                safe[i] = new StackTraceElementProxy(new StackTraceElement(type, method, file, e.getLineNumber()));
                safe[i].setClassPackagingData(frames[i].getClassPackagingData());
            }
        }
        return safe;
    }

    @Override
    public int getCommonFrames() {
        return proxy.getCommonFrames();
    }

    @Override
    public IThrowableProxy getCause() {
        return of(proxy.getCause());
    }

    @Override
    public IThrowableProxy[] getSuppressed() {
        IThrowableProxy[] suppressed = proxy.getSuppressed();
        if (suppressed == null) {
            return null;
        }
        IThrowableProxy[] safe = new IThrowableProxy[suppressed.length];
        for (int i = 0; i < suppressed.length; i++) {
            safe[i] = of(suppressed[i]);
        }
        return safe;
    }

    @Override
    public boolean isCyclic() {
        return proxy.isCyclic();
    }
}
