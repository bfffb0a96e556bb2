package dev.steadfast.jdbc.internal.liveness;

import java.nio.channels.SocketChannel;

/**
 * Hands the channel a driver's socket factory created to the code that asked the driver for the
 * connection. Drivers connect synchronously in the calling thread, so a thread-local is enough.
 */
public final class SocketCapture {
    private static final ThreadLocal<SocketChannel> LAST = new ThreadLocal<>();

    private SocketCapture() {}

    /** Forgets anything captured earlier in this thread. */
    public static void begin() {
        LAST.remove();
    }

    static void created(SocketChannel channel) {
        LAST.set(channel);
    }

    /** The channel of the last socket created in this thread since {@link #begin()}, or null. */
    public static SocketChannel end() {
        SocketChannel channel = LAST.get();
        LAST.remove();
        return channel;
    }
}
