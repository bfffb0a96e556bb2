package dev.steadfast.jdbc.internal.liveness;

import java.io.IOException;
import java.net.Socket;
import java.nio.channels.SocketChannel;

/** Creates blocking sockets backed by a {@link SocketChannel}, so their liveness can be checked without blocking. */
final class ChannelSockets {
    private ChannelSockets() {}

    static Socket newSocket() throws IOException {
        SocketChannel channel = SocketChannel.open();
        SocketCapture.created(channel);
        return channel.socket();
    }
}
