package dev.steadfast.jdbc;

import java.time.Duration;

/**
 * What the server told us about itself when the database was built.
 *
 * @param globalWaitTimeout    {@code @@global.wait_timeout}
 * @param sessionWaitTimeout   {@code @@session.wait_timeout} of a connection opened like the pool's
 *                             (what actually closes idle pooled connections)
 * @param interactiveTimeout   {@code @@global.interactive_timeout}
 * @param netReadTimeout       {@code @@session.net_read_timeout}
 * @param netWriteTimeout      {@code @@session.net_write_timeout}
 * @param maxAllowedPacket     {@code @@global.max_allowed_packet} in bytes
 * @param version              {@code VERSION()}
 * @param flavour              MariaDB or MySQL
 */
public record ServerTimeouts(
        Duration globalWaitTimeout,
        Duration sessionWaitTimeout,
        Duration interactiveTimeout,
        Duration netReadTimeout,
        Duration netWriteTimeout,
        long maxAllowedPacket,
        String version,
        ServerFlavour flavour) {

    /** Whether {@code SELECT ... FOR UPDATE SKIP LOCKED} is available (MariaDB 10.6+, MySQL 8.0+). */
    public boolean supportsSkipLocked() {
        int[] v = versionNumbers();
        return flavour == ServerFlavour.MARIADB ? compare(v, 10, 6) >= 0 : compare(v, 8, 0) >= 0;
    }

    /** Whether {@code INSERT ... RETURNING} is available (MariaDB 10.5+; MySQL has none). */
    public boolean supportsInsertReturning() {
        return flavour == ServerFlavour.MARIADB && compare(versionNumbers(), 10, 5) >= 0;
    }

    /**
     * Whether anonymous compound statements ({@code BEGIN NOT ATOMIC ... END}) run outside stored programs (MariaDB
     * 10.2+ here, 10.1.1 introduced them; MySQL has none): several statements in one round trip without enabling multi-statement queries.
     */
    public boolean supportsCompoundStatements() {
        return flavour == ServerFlavour.MARIADB && compare(versionNumbers(), 10, 2) >= 0;
    }

    private int[] versionNumbers() {
        String[] parts = version.split("[.-]");
        int[] numbers = new int[2];
        for (int i = 0; i < 2 && i < parts.length; i++) {
            try {
                numbers[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                return numbers;
            }
        }
        return numbers;
    }

    private static int compare(int[] v, int major, int minor) {
        return v[0] != major ? Integer.compare(v[0], major) : Integer.compare(v[1], minor);
    }
}
