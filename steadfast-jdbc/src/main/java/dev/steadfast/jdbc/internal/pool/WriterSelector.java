package dev.steadfast.jdbc.internal.pool;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the one server of a {@link HostList} that every connection of this database writes through: the current
 * writer while it takes writes, otherwise the first server in the list's order that does (reachable, not read-only,
 * a Galera node synced in the primary component). A single writer is what keeps a Galera cluster free of
 * certification conflicts between workers, and the list's order makes every process choose the same node: after a
 * failure they all move to the next, and {@link #failback} brings them back to the first once it is healthy again.
 */
public final class WriterSelector {
    private static final Logger LOG = LoggerFactory.getLogger(WriterSelector.class);
    /** A server that just failed is tried after the others for this long by default. */
    private static final Duration DOWN = Duration.ofSeconds(5);

    /** Opens a connection to the {@code i}th server and identifies its session. */
    public interface Opener {
        Opened open(int host) throws SQLException;
    }

    /** A new physical connection and its session. */
    public record Opened(Connection connection, TrackedSession session) {}

    private final HostList hosts;
    private final long[] downUntil;
    private final long downNanos;
    private volatile int current;
    private volatile Runnable evictConnections = () -> {};
    private volatile Runnable moved = () -> {};

    public WriterSelector(HostList hosts) {
        this(hosts, DOWN);
    }

    /** @param downPeriod how long a server that failed is tried only after the others */
    WriterSelector(HostList hosts, Duration downPeriod) {
        this.hosts = hosts;
        this.downUntil = new long[hosts.size()];
        this.downNanos = downPeriod.toNanos();
    }

    /**
     * @param evictConnections drops the pool's connections (to a writer that refused work, or one left behind)
     * @param moved            counts a move to another server
     */
    public void onChange(Runnable evictConnections, Runnable moved) {
        this.evictConnections = evictConnections;
        this.moved = moved;
    }

    /** The index of the server written through now. */
    public int current() {
        return current;
    }

    /**
     * A connection to the writer: the current one if it still takes writes, else the first that does. Servers that
     * failed in the last seconds are tried last.
     *
     * @throws SQLException when no server takes writes: a read-only refusal (1290) when every reachable one is
     *                      read-only, a node refusal (1047) when one is a Galera node not ready, else the last
     *                      connection failure
     */
    public Opened open(Opener opener) throws SQLException {
        SQLException connectFailure = null;
        List<String> refusals = new ArrayList<>();
        boolean onlyReadOnly = true;
        int connectFailures = 0;
        for (int host : order()) {
            Opened opened;
            try {
                opened = opener.open(host);
            } catch (SQLException e) {
                markDown(host);
                if (connectFailure != null) {
                    e.addSuppressed(connectFailure);
                }
                connectFailure = e;
                connectFailures++;
                refusals.add(hosts.address(host) + ": " + e.getMessage());
                continue;
            }
            NodeFacts facts = opened.session().facts();
            if (facts.writable()) {
                moveTo(host, String.join("; ", refusals));
                return opened;
            }
            close(opened.connection());
            markDown(host);
            onlyReadOnly &= facts.readOnly();
            refusals.add(hosts.address(host) + ": " + facts.refusal());
        }
        String message = "no server takes writes: " + String.join("; ", refusals);
        if (refusals.size() > connectFailures) {
            SQLException refused =
                    onlyReadOnly ? new SQLException(message, "HY000", 1290) : new SQLException(message, "08S01", 1047);
            if (connectFailure != null) {
                refused.addSuppressed(connectFailure);
            }
            throw refused;
        }
        throw new SQLException(message, "08001", 0, connectFailure);
    }

    /**
     * A unit of work found the server unusable (Galera node not ready, read-only): write elsewhere from now on, and
     * let the pool drop its other connections to it.
     */
    public void failed(int host) {
        synchronized (this) {
            if (isDown(host)) {
                return; // another unit reported it first
            }
            markDown(host);
        }
        if (host == current) {
            LOG.warn("writer {} refused work; writing through the next server that takes writes", hosts.address(host));
            evictConnections.run();
        }
    }

    /**
     * Moves back to an earlier server of the list that takes writes again (a restarted node, a rejoined one), so that
     * every process converges on the same writer. Called periodically while the writer is not the first server.
     */
    public void failback(Opener opener) {
        int writer = current;
        for (int host = 0; host < writer; host++) {
            if (isDown(host)) {
                continue;
            }
            if (Boolean.TRUE.equals(takesWrites(opener, host))) {
                moveTo(host, "it takes writes again");
                return;
            }
            markDown(host);
        }
    }

    /**
     * Checks that the current writer still takes writes (a switchover can turn it read-only while no unit of work
     * writes, leaving the pool's idle connections pointing at it); when it refuses, its connections go. A server that
     * cannot be reached is left to the units of work, which see it on their own.
     */
    public void confirm(Opener opener) {
        int writer = current;
        if (Boolean.FALSE.equals(takesWrites(opener, writer))) {
            failed(writer);
        }
    }

    /** Whether a server takes writes, over a connection opened and closed for the question; null when unreachable. */
    private static Boolean takesWrites(Opener opener, int host) {
        try {
            Opened probe = opener.open(host);
            close(probe.connection());
            return probe.session().facts().writable();
        } catch (SQLException unreachable) {
            return null;
        }
    }

    /** @param why what the servers tried before said, for the log line */
    private synchronized void moveTo(int host, String why) {
        int before = current;
        downUntil[host] = 0;
        if (before != host) {
            current = host;
            LOG.warn(
                    "writing through {} now (was {}{})",
                    hosts.address(host),
                    hosts.address(before),
                    why.isEmpty() ? "" : "; " + why);
            moved.run();
            evictConnections.run();
        }
    }

    /** The current writer first unless it failed lately, then the others in the list's order, failed ones last. */
    private synchronized List<Integer> order() {
        List<Integer> healthy = new ArrayList<>();
        List<Integer> down = new ArrayList<>();
        (isDown(current) ? down : healthy).add(current);
        for (int host = 0; host < hosts.size(); host++) {
            if (host != current) {
                (isDown(host) ? down : healthy).add(host);
            }
        }
        healthy.addAll(down);
        return healthy;
    }

    private synchronized void markDown(int host) {
        downUntil[host] = System.nanoTime() + downNanos;
    }

    private synchronized boolean isDown(int host) {
        return downUntil[host] != 0 && downUntil[host] - System.nanoTime() > 0;
    }

    private static void close(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // a connection we are discarding anyway
        }
    }
}
