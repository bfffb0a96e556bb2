package dev.steadfast.jdbc;

import java.util.List;

/**
 * The servers a database's URL names and which one it writes through. A URL listing several hosts in the plain form
 * ({@code jdbc:mariadb://n1,n2,n3/app}, {@code jdbc:mysql://n1,n2,n3/app} or MariaDB's {@code sequential} mode) makes
 * Steadfast choose one writer itself: every connection goes to the first server that takes writes (reachable, not
 * read-only, a Galera node synced in the primary component), moves to the next when it stops taking them, and comes
 * back to an earlier one once it does again, so that all processes with the same list write through the same node.
 *
 * @param addresses    {@code host:port} of each server, in the URL's order (the whole URL when the driver handles
 *                     several hosts itself, as in its {@code loadbalance} or {@code replication} modes)
 * @param singleWriter whether Steadfast chooses the one writer among them
 * @param writer       index in {@code addresses} of the server written through now
 */
public record Servers(List<String> addresses, boolean singleWriter, int writer) {
    public Servers {
        addresses = List.copyOf(addresses);
    }
}
