package dev.steadfast.web.internal;

import java.util.Set;

/**
 * The address of the client behind a request, as the login throttle counts it. By default the connection's peer:
 * behind a reverse proxy, that is the proxy for every client. With trusted proxies ({@code --trust-proxy ADDRESS}), a
 * request from one of them is the client its {@code X-Forwarded-For} names: the rightmost entry that is not itself a
 * trusted proxy (entries to the left of it are whatever the client chose to send, and are ignored). A request from any
 * other peer keeps its own address, whatever headers it carries.
 */
final class ClientAddress {
    private final Set<String> trustedProxies;

    ClientAddress(Set<String> trustedProxies) {
        this.trustedProxies =
                Set.copyOf(trustedProxies.stream().map(HostAllowList::normalise).toList());
    }

    static ClientAddress peer() {
        return new ClientAddress(Set.of());
    }

    String of(Request request) {
        String peer = request.remoteAddress();
        if (trustedProxies.isEmpty() || peer == null || !trustedProxies.contains(HostAllowList.normalise(peer))) {
            return peer;
        }
        String forwarded = request.header("X-Forwarded-For");
        if (forwarded == null) {
            return peer;
        }
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (!hop.matches("[0-9A-Fa-f:.\\[\\]]{1,64}")) {
                return peer; // not an address a proxy writes: someone else's header, not the client
            }
            if (!trustedProxies.contains(HostAllowList.normalise(hop))) {
                return hop;
            }
        }
        return peer;
    }
}
