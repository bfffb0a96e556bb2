package dev.steadfast.web.internal;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The names this dashboard answers to. A DNS-rebinding page reaches the dashboard under the attacker's
 * own host name ({@code Host: attacker.example}); only the names listed here are served: the bind
 * address, {@code localhost}, {@code 127.0.0.1}, {@code [::1]}, the {@code --public-host} names, and,
 * when bound to every interface, the literal addresses of this machine's interfaces (an address literal
 * cannot be rebound). {@code Origin} of a mutating request is checked against the same list.
 */
final class HostAllowList {
    private final Set<String> names; // null: the application serving the dashboard decides which names it answers to

    private HostAllowList() {
        this.names = null;
    }

    /**
     * For a dashboard mounted in an application: the application's server decides which host names it answers to,
     * and a form's {@code Origin} must be the request's own host.
     */
    static HostAllowList application() {
        return new HostAllowList();
    }

    HostAllowList(String bind, List<String> publicHosts) {
        Set<String> allowed = new HashSet<>(List.of("localhost", "127.0.0.1", "::1"));
        allowed.add(normalise(bind));
        for (String host : publicHosts) {
            allowed.add(normalise(host));
        }
        if (wildcard(bind)) {
            allowed.addAll(interfaceAddresses());
        }
        this.names = Set.copyOf(allowed);
    }

    /** Whether a {@code Host} header value ({@code name[:port]}, {@code [v6][:port]}) names this dashboard. */
    boolean allowsHost(String hostHeader) {
        if (hostHeader == null || names == null) {
            return true; // HTTP/1.0 without Host: no browser sends such a request, so no rebinding either
        }
        return names.contains(normalise(stripPort(hostHeader.trim())));
    }

    /**
     * Whether an {@code Origin} header value is one of this dashboard's own origins ({@code null} origin is not): its
     * host one of the names (mounted in an application: the request's own {@code Host}), its port the one the
     * {@code Host} header names (or the scheme's default when that names none), and https when the request came over
     * TLS (a page served over plain http must not act on the https dashboard). Another port of the same host is
     * another site: a page of another service on {@code localhost:3000} may not post to the dashboard.
     *
     * @param secure the request came over TLS or through a proxy that says so
     */
    boolean allowsOrigin(String origin, String hostHeader, boolean secure) {
        try {
            URI uri = URI.create(origin.trim());
            String scheme = uri.getScheme();
            if (uri.getHost() == null
                    || !("http".equals(scheme) || "https".equals(scheme))
                    || (secure && !"https".equals(scheme))
                    || uri.getRawPath() != null && !uri.getRawPath().isEmpty()
                    || uri.getRawUserInfo() != null) {
                return false;
            }
            if (hostHeader == null) {
                return names != null && names.contains(normalise(uri.getHost()));
            }
            String host = hostHeader.trim();
            String hostName = stripPort(host);
            int originPort = uri.getPort() >= 0 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
            String hostPort = host.substring(hostName.length());
            int requestPort = hostPort.startsWith(":")
                    ? Integer.parseInt(hostPort.substring(1))
                    : "https".equals(scheme) ? 443 : 80;
            if (originPort != requestPort) {
                return false;
            }
            if (names == null) {
                return normalise(uri.getHost()).equals(normalise(hostName));
            }
            return names.contains(normalise(uri.getHost()));
        } catch (IllegalArgumentException e) { // a malformed origin or port: NumberFormatException is one
            return false;
        }
    }

    private static String stripPort(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.indexOf(':');
        return colon >= 0 && host.indexOf(':', colon + 1) < 0 ? host.substring(0, colon) : host;
    }

    static String normalise(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1); // "localhost." is the same name
        }
        if (h.contains(":")) { // an IPv6 literal: one spelling for "::1" and "0:0:0:0:0:0:0:1"
            try {
                return InetAddress.getByName(h)
                        .getHostAddress()
                        .replaceAll("%.*$", "")
                        .replaceAll("(^|:)0(:0)+(:|$)", "::");
            } catch (UnknownHostException e) {
                return h;
            }
        }
        return h;
    }

    private static boolean wildcard(String bind) {
        String b = normalise(bind);
        return b.equals("0.0.0.0") || b.equals("::") || b.isEmpty();
    }

    private static Set<String> interfaceAddresses() {
        Set<String> addresses = new HashSet<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    addresses.add(normalise(address.getHostAddress().replaceAll("%.*$", "")));
                }
            }
        } catch (SocketException e) {
            // no interface list: only the configured names are served, which is the safe side
        }
        return addresses;
    }
}
