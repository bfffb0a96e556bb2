package dev.steadfast.jdbc;

/**
 * A statement would exceed the server's {@code max_allowed_packet}. Raised before anything is sent,
 * because the server answers such packets by closing the connection ("MySQL server has gone away").
 */
public class PacketTooLargeException extends SteadfastSqlException {
    private static final long serialVersionUID = 1L;

    private final long packetBytes;
    private final long maxAllowedPacket;

    public PacketTooLargeException(long packetBytes, long maxAllowedPacket) {
        super(
                "statement of at least " + packetBytes + " bytes exceeds the server's max_allowed_packet of "
                        + maxAllowedPacket + " bytes; store the data in smaller pieces or raise max_allowed_packet"
                        + " (SET GLOBAL max_allowed_packet = ...; and in the server configuration)",
                "HY000",
                1153,
                null);
        this.packetBytes = packetBytes;
        this.maxAllowedPacket = maxAllowedPacket;
    }

    public long packetBytes() {
        return packetBytes;
    }

    public long maxAllowedPacket() {
        return maxAllowedPacket;
    }
}
