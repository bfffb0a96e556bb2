package dev.steadfast.jdbc.internal.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The servers a JDBC URL names. A URL of several hosts in the plain form ({@code jdbc:mariadb://a,b,c/db},
 * {@code jdbc:mysql://a,b,c/db}) or MariaDB's {@code sequential} mode becomes one single-host URL per server, among
 * which Steadfast chooses the one writer itself ({@link WriterSelector}). Every other form (one host, the drivers'
 * {@code loadbalance} and {@code replication} modes, {@code address=(...)} lists) is kept as the driver's to handle.
 *
 * @param urls         single-host URLs in the order given, or the one URL as written
 * @param chooseWriter whether Steadfast chooses the writer among {@code urls}
 */
public record HostList(List<String> urls, boolean chooseWriter) {

    public HostList {
        urls = List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("no host");
        }
    }

    /** Reads the hosts of a {@code jdbc:mariadb:} or {@code jdbc:mysql:} URL. */
    public static HostList parse(String jdbcUrl) {
        DriverKind driver = DriverKind.of(jdbcUrl);
        String prefix = driver == DriverKind.MARIADB ? "jdbc:mariadb:" : "jdbc:mysql:";
        int slashes = jdbcUrl.indexOf("//", prefix.length());
        if (slashes < 0) {
            return new HostList(List.of(jdbcUrl), false);
        }
        String mode = jdbcUrl.substring(prefix.length(), slashes).toLowerCase(Locale.ROOT);
        boolean plain = mode.isEmpty() || (driver == DriverKind.MARIADB && mode.equals("sequential:"));
        String rest = jdbcUrl.substring(slashes + 2);
        int end = indexOfAny(rest, "/?");
        String hostPart = end < 0 ? rest : rest.substring(0, end);
        String tail = end < 0 ? "" : rest.substring(end);
        if (!plain || hostPart.indexOf('(') >= 0 || hostPart.indexOf('=') >= 0) {
            return new HostList(List.of(jdbcUrl), false);
        }
        List<String> urls = new ArrayList<>();
        for (String host : hostPart.split(",")) {
            String trimmed = host.trim();
            if (trimmed.isEmpty()) {
                throw new IllegalArgumentException("empty host in JDBC URL '" + jdbcUrl + "'");
            }
            urls.add(prefix + "//" + trimmed + tail);
        }
        return urls.size() == 1 ? new HostList(List.of(jdbcUrl), false) : new HostList(urls, true);
    }

    /** The server part of the {@code i}th URL ({@code host:port}), for messages. */
    public String address(int i) {
        String url = urls.get(i);
        int start = url.indexOf("//") + 2;
        int end = indexOfAny(url.substring(start), "/?");
        return end < 0 ? url.substring(start) : url.substring(start, start + end);
    }

    public int size() {
        return urls.size();
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
