package dev.steadfast.jdbc.internal.pool;

import java.util.Locale;

/**
 * The two supported drivers and the connection properties Steadfast sets on each. The socket factories are named, not
 * referenced: each extends its driver's own class, and an application ships one driver only.
 */
public enum DriverKind {
    MARIADB("jdbc:mariadb:", "dev.steadfast.jdbc.internal.liveness.MariaDbSocketFactory"),
    MYSQL("jdbc:mysql:", "dev.steadfast.jdbc.internal.liveness.MySqlSocketFactory");

    private final String prefix;
    private final String socketFactory;

    DriverKind(String prefix, String socketFactory) {
        this.prefix = prefix;
        this.socketFactory = socketFactory;
    }

    /** The driver a URL names; a clear error for anything else. */
    public static DriverKind of(String jdbcUrl) {
        if (jdbcUrl != null) {
            for (DriverKind kind : values()) {
                if (jdbcUrl.startsWith(kind.prefix)) {
                    return kind;
                }
            }
        }
        throw new IllegalArgumentException("unsupported JDBC URL '" + jdbcUrl + "': expected one starting with "
                + "jdbc:mariadb:// (MariaDB Connector/J) or jdbc:mysql:// (MySQL Connector/J)");
    }

    /** Our channel-backed socket factory for this driver. */
    public String socketFactoryClass() {
        return socketFactory;
    }

    /** Whether the URL already sets a connection property (then the user's value wins). */
    public static boolean urlSets(String jdbcUrl, String property) {
        String lower = jdbcUrl.toLowerCase(Locale.ROOT);
        String key = property.toLowerCase(Locale.ROOT) + "=";
        return lower.contains("?" + key) || lower.contains("&" + key);
    }
}
