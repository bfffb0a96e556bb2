package dev.steadfast.jdbc.pool;

import dev.steadfast.jdbc.liveness.SocketLiveness;

import java.nio.channels.SocketChannel;

/**
 * What Steadfast knows about one physical connection: its server session and, when our socket factory
 * created its socket, the channel to check liveness with.
 *
 * @param connectionId {@code CONNECTION_ID()}, the id {@code KILL} takes
 * @param incarnation  the server run the session belongs to
 * @param channel      the socket's channel, or null when it cannot be checked locally (TLS, other factory)
 */
public record TrackedSession(long connectionId, ServerIncarnation incarnation, SocketChannel channel) {

    /** Whether the local socket check can run for this connection. */
    public boolean checkable() {
        return channel != null;
    }

    /** Local check without a round trip; true when it cannot run. */
    public boolean looksAlive() {
        return channel == null || SocketLiveness.isAlive(channel);
    }
}
