package dev.steadfast.jdbc.internal.pool;

/**
 * One run of one server: host, port and boot time. Connection ids restart with the server, so an id
 * means the same session only within the same incarnation.
 *
 * @param host         {@code @@hostname}
 * @param port         {@code @@port}
 * @param bootEpochSecond server start, as {@code UNIX_TIMESTAMP() - Uptime}
 */
public record ServerIncarnation(String host, int port, long bootEpochSecond) {

    /** Same server (host and port), whichever run. */
    public boolean sameServer(ServerIncarnation other) {
        return other != null && host.equals(other.host) && port == other.port;
    }

    /** Same server, same run. Boot times computed at different moments may differ by a rounding second. */
    public boolean sameAs(ServerIncarnation other) {
        return other != null
                && host.equals(other.host)
                && port == other.port
                && Math.abs(bootEpochSecond - other.bootEpochSecond) <= 1;
    }
}
