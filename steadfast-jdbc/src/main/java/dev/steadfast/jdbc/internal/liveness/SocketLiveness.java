package dev.steadfast.jdbc.internal.liveness;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * go-sql-driver's {@code connCheck} for JDBC: a non-blocking read on an idle connection's socket. An
 * idle MySQL connection has nothing to read; end-of-stream means the server closed it (wait_timeout,
 * KILL, restart), and unsolicited bytes are an error packet sent before closing (4031, 1927). Either
 * way the connection is dead. Costs a few system calls, no round trip.
 */
public final class SocketLiveness {
    private SocketLiveness() {}

    /** Whether the idle connection behind this channel can still be used. */
    public static boolean isAlive(SocketChannel channel) {
        if (!channel.isOpen()) {
            return false;
        }
        ByteBuffer probe = ByteBuffer.allocate(1);
        try {
            synchronized (channel.blockingLock()) {
                channel.configureBlocking(false);
                try {
                    return channel.read(probe) == 0;
                } finally {
                    channel.configureBlocking(true);
                }
            }
        } catch (IOException e) {
            return false; // reset by peer, or closed under us
        }
    }
}
