package dev.steadfast.jdbc;

import java.util.Locale;

/** Which server family answers. */
public enum ServerFlavour {
    MARIADB,
    MYSQL;

    /** From {@code SELECT VERSION()}: MariaDB says so in its version string. */
    public static ServerFlavour fromVersion(String version) {
        return version != null && version.toLowerCase(Locale.ROOT).contains("mariadb") ? MARIADB : MYSQL;
    }
}
