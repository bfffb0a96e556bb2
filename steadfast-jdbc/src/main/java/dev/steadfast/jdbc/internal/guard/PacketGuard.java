package dev.steadfast.jdbc.internal.guard;

import dev.steadfast.jdbc.PacketTooLargeException;
import java.sql.Connection;

/**
 * Wraps the connection handed to a unit of work so that a statement whose text and parameters are
 * larger than the server's {@code max_allowed_packet} fails before it is sent, with both sizes in the
 * message, instead of the server dropping the connection ("gone away").
 */
public final class PacketGuard {
    private final long maxAllowedPacket;

    public PacketGuard(long maxAllowedPacket) {
        this.maxAllowedPacket = maxAllowedPacket;
    }

    public long maxAllowedPacket() {
        return maxAllowedPacket;
    }

    /** The guarded view of a connection: plain delegating classes, as this runs on every unit of work. */
    public Connection guard(Connection connection) {
        return new GuardedConnection(connection, this);
    }

    void check(long bytes) throws PacketTooLargeException {
        if (bytes > maxAllowedPacket) {
            throw new PacketTooLargeException(bytes, maxAllowedPacket);
        }
    }
}
