package dev.steadfast.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongPredicate;

/**
 * A TCP proxy on loopback in front of a database server that injects network faults: reset every
 * connection, blackhole (stop forwarding without closing, so only a socket timeout notices), and cut a
 * connection just before or just after forwarding a {@code COMMIT}. It reads the MySQL packet framing
 * of client-to-server traffic, so the server must run without TLS.
 */
public final class FaultProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicReference<CommitCut> armedCut = new AtomicReference<>();
    private volatile Runnable beforeCommitForwarded = () -> {};
    private final AtomicLong commands = new AtomicLong();
    private final AtomicInteger commandCuts = new AtomicInteger();
    private final AtomicReference<ArmedCut> armedAt = new AtomicReference<>();
    private volatile boolean blackholeAll;
    private volatile int cutsFired;
    private volatile boolean closed;

    private FaultProxy(ServerSocket listener, InetSocketAddress target) {
        this.listener = listener;
        this.target = target;
    }

    /** Starts a proxy on a free loopback port forwarding to host:port. */
    public static FaultProxy start(String host, int port) {
        try {
            ServerSocket listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
            FaultProxy proxy = new FaultProxy(listener, new InetSocketAddress(host, port));
            Thread acceptor = new Thread(proxy::acceptLoop, "fault-proxy-accept-" + listener.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a proxy in front of a test database. */
    public static FaultProxy inFrontOf(TestDatabase database) {
        return start(database.host(), database.port());
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Sends a TCP reset to every client and closes every server side. */
    public void resetAll() {
        for (Link link : links) {
            link.reset();
        }
    }

    /** Blackholes the connections open now: nothing more is forwarded, nothing is closed. New ones pass. */
    public void freezeExisting() {
        for (Link link : links) {
            link.frozen = true;
        }
    }

    /** Blackholes every connection, present and future, until {@link #heal()}. */
    public void blackholeAll() {
        blackholeAll = true;
        freezeExisting();
    }

    /** Ends a blackhole: frozen connections are reset (their streams are lost), new ones pass again. */
    public void heal() {
        blackholeAll = false;
        for (Link link : links) {
            if (link.frozen) {
                link.reset();
            }
        }
    }

    /** Arms a one-shot cut at the next COMMIT any client sends. */
    public void armCommitCut(CommitCut cut) {
        armCommitCut(cut, () -> {});
    }

    /**
     * Arms a one-shot cut at the next COMMIT, running {@code beforeForwarding} when that COMMIT has
     * arrived but not yet been passed on (to make the server's commit slow, for example).
     */
    public void armCommitCut(CommitCut cut, Runnable beforeForwarding) {
        beforeCommitForwarded = beforeForwarding;
        armedCut.set(cut);
    }

    /**
     * Cuts the next {@code count} commands any client sends (queries and the like, after the handshake):
     * each such connection is reset before its command reaches the server.
     */
    public void armCommandCuts(int count) {
        commandCuts.set(count);
    }

    /**
     * Cuts the connection carrying the {@code nth} command any client sends from now on (1: the next), running
     * {@code beforeCut} first (to SIGKILL the server at that very moment, say): sweeping {@code nth} over the
     * commands of a sequence (a start) cuts it at each of its steps in turn. One-shot.
     */
    public void armCutAtCommand(long nth, Runnable beforeCut) {
        long at = commands.get() + nth;
        // at or after: a command counted while this arms (another client's) must not make the cut miss
        armedAt.set(new ArmedCut(count -> count >= at, (buffer, offset, length) -> true, beforeCut));
    }

    /**
     * Cuts the connection carrying the next query whose text contains {@code fragment} (any case) before it reaches
     * the server, running {@code beforeCut} first. One-shot.
     */
    public void armCutAtQuery(String fragment, Runnable beforeCut) {
        armedAt.set(new ArmedCut(
                count -> true,
                (buffer, offset, length) -> MySqlPackets.queryContains(buffer, offset, length, fragment),
                beforeCut));
    }

    /** Withdraws an {@link #armCutAtCommand} or {@link #armCutAtQuery} cut that has not fired. */
    public void disarm() {
        armedAt.set(null);
    }

    /**
     * Commands clients have sent (packets with sequence number 0 after the handshake): each costs a
     * round trip, so this counts round trips without timing anything.
     */
    public long commandsSent() {
        return commands.get();
    }

    /** How many armed cuts (commit cuts and command cuts) have fired. */
    public int commitCutsFired() {
        return cutsFired;
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        resetAll();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                client.setTcpNoDelay(true);
                Link link = new Link(client);
                links.add(link);
                link.frozen = blackholeAll;
                link.begin();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("[fault-proxy] accept failed: " + e);
                }
            }
        }
    }

    /** A cut armed at a command chosen by its number or its text. */
    private record ArmedCut(LongPredicate number, PacketTest packet, Runnable beforeCut) {
        boolean matches(long count, byte[] buffer, int offset, int length) {
            return number.test(count) && packet.test(buffer, offset, length);
        }
    }

    @FunctionalInterface
    private interface PacketTest {
        boolean test(byte[] buffer, int offset, int length);
    }

    /** One proxied connection: a client socket, a server socket and a pump thread per direction. */
    private final class Link {
        private final Socket client;
        private volatile Socket server;
        private volatile boolean frozen;
        private volatile boolean replyDropped;

        Link(Socket client) {
            this.client = client;
        }

        void begin() {
            Thread upstream = new Thread(this::pumpUp, "fault-proxy-up-" + client.getPort());
            upstream.setDaemon(true);
            upstream.start();
        }

        private void pumpUp() {
            try {
                Socket s = new Socket();
                s.setTcpNoDelay(true);
                s.connect(target, 5000);
                server = s;
                Thread downstream = new Thread(this::pumpDown, "fault-proxy-down-" + client.getPort());
                downstream.setDaemon(true);
                downstream.start();
                forwardPackets(client.getInputStream(), s.getOutputStream());
            } catch (IOException e) {
                // a reset or close on either side ends the link
            } finally {
                reset();
            }
        }

        private void forwardPackets(InputStream in, OutputStream out) throws IOException {
            byte[] buffer = new byte[64 * 1024];
            int filled = 0;
            boolean handshakeSeen = false;
            while (true) {
                if (filled == buffer.length) {
                    buffer = Arrays.copyOf(buffer, buffer.length * 2);
                }
                int n = in.read(buffer, filled, buffer.length - filled);
                if (n < 0) {
                    return;
                }
                filled += n;
                int offset = 0;
                while (true) {
                    int length = MySqlPackets.packetLength(buffer, offset, filled - offset);
                    if (length < 0 || length > filled - offset) {
                        break;
                    }
                    if (handshakeSeen && (buffer[offset + 3] & 0xFF) == 0) {
                        long count =
                                commands.incrementAndGet(); // before forwarding: the reply must not overtake the count
                        ArmedCut at = armedAt.get();
                        if (!frozen
                                && at != null
                                && at.matches(count, buffer, offset, length)
                                && armedAt.compareAndSet(at, null)) {
                            at.beforeCut().run();
                            cutsFired++;
                            return;
                        }
                    }
                    if (!frozen
                            && handshakeSeen
                            && (buffer[offset + 3] & 0xFF) == 0
                            && commandCuts.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                        cutsFired++;
                        return;
                    }
                    if (!frozen) {
                        CommitCut cut = handshakeSeen && MySqlPackets.isCommit(buffer, offset, length)
                                ? armedCut.getAndSet(null)
                                : null;
                        if (cut != null) {
                            beforeCommitForwarded.run();
                        }
                        if (cut == CommitCut.BEFORE_COMMIT) {
                            cutsFired++;
                            return;
                        }
                        out.write(buffer, offset, length);
                        out.flush();
                        if (cut == CommitCut.AFTER_COMMIT) {
                            cutsFired++;
                            replyDropped = true;
                            resetQuietly(client);
                            return;
                        }
                    }
                    handshakeSeen = true;
                    offset += length;
                }
                System.arraycopy(buffer, offset, buffer, 0, filled - offset);
                filled -= offset;
            }
        }

        private void pumpDown() {
            byte[] buffer = new byte[64 * 1024];
            try {
                InputStream in = server.getInputStream();
                OutputStream out = client.getOutputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!frozen && !replyDropped) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // a reset or close on either side ends the link
            } finally {
                if (!replyDropped) {
                    reset();
                } else {
                    resetQuietly(server);
                    links.remove(this);
                }
            }
        }

        void reset() {
            links.remove(this);
            resetQuietly(client);
            if (!replyDropped) {
                resetQuietly(server);
            }
        }

        private void resetQuietly(Socket socket) {
            if (socket == null) {
                return;
            }
            try {
                socket.setSoLinger(true, 0);
            } catch (SocketException ignored) {
                // already closed
            }
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
