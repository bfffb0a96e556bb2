package dev.steadfast.jdbc.internal.pool;

import dev.steadfast.jdbc.internal.liveness.SocketLiveness;
import java.nio.channels.SocketChannel;

/**
 * What Steadfast knows about one physical connection: its server session, the channel to check its
 * socket with (null when it cannot be checked locally: TLS, another socket factory), and when a unit
 * of work last gave it back to the pool.
 */
public final class TrackedSession {
    private final long connectionId;
    private final ServerIncarnation incarnation;
    private final SocketChannel channel;
    private final int host;
    private final NodeFacts facts;
    private volatile long releasedNanos;

    /**
     * @param connectionId {@code CONNECTION_ID()}, the id {@code KILL} takes
     * @param incarnation  the server run the session belongs to
     * @param channel      the socket's channel, or null
     */
    public TrackedSession(long connectionId, ServerIncarnation incarnation, SocketChannel channel) {
        this(connectionId, incarnation, channel, 0, NodeFacts.UNKNOWN);
    }

    /**
     * @param host  which of the {@link HostList}'s servers the connection was made to
     * @param facts what the server said about its role when the connection was made
     */
    public TrackedSession(
            long connectionId, ServerIncarnation incarnation, SocketChannel channel, int host, NodeFacts facts) {
        this.connectionId = connectionId;
        this.incarnation = incarnation;
        this.channel = channel;
        this.host = host;
        this.facts = facts;
        this.releasedNanos = System.nanoTime();
    }

    /** The index of the server in the {@link HostList} this session is on. */
    public int host() {
        return host;
    }

    public NodeFacts facts() {
        return facts;
    }

    public long connectionId() {
        return connectionId;
    }

    public ServerIncarnation incarnation() {
        return incarnation;
    }

    /** Records that the connection went back to the pool now. */
    public void released(long nanoTime) {
        releasedNanos = nanoTime;
    }

    /** Whether the connection has been idle in the pool for at least the given time. */
    public boolean idleFor(long nanos, long nowNanos) {
        return nowNanos - releasedNanos >= nanos;
    }

    /** Local check without a round trip; true when it cannot run. */
    public boolean looksAlive() {
        return channel == null || SocketLiveness.isAlive(channel);
    }
}
