package dev.steadfast.queue.internal.wakeup;

import dev.steadfast.jdbc.threads.DaemonThreads;
import dev.steadfast.queue.internal.store.Workers.Doorbell;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's doorbell: a datagram socket on the loopback interface with a random token. A datagram that carries the
 * token runs the worker's wake-up; anything else is dropped, so another local process that does not know the token
 * (it is in the database, readable by those who may enqueue) cannot make the worker poll.
 */
public final class DoorbellListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DoorbellListener.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DatagramChannel channel;
    private final byte[] token;
    private final Doorbell doorbell;
    private final Runnable onRing;
    private final AtomicLong rings = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final Thread thread;

    private DoorbellListener(DatagramChannel channel, byte[] token, Runnable onRing) throws IOException {
        this.channel = channel;
        this.token = token;
        this.onRing = onRing;
        int port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
        this.doorbell = new Doorbell(port, new String(token, StandardCharsets.US_ASCII));
        this.thread = DaemonThreads.thread("steadfast-doorbell-" + port, this::listen);
    }

    /** Opens a doorbell on an ephemeral loopback port; {@code onRing} runs on its thread for every valid ring. */
    public static DoorbellListener open(Runnable onRing) throws IOException {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        byte[] token = HexFormat.of().formatHex(random).getBytes(StandardCharsets.US_ASCII);
        DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            DoorbellListener listener = new DoorbellListener(channel, token, onRing);
            listener.thread.start();
            return listener;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The port and token producers need, for the worker's heartbeat to publish. */
    public Doorbell doorbell() {
        return doorbell;
    }

    /** Valid rings received so far. */
    public long rings() {
        return rings.get();
    }

    /** Datagrams dropped for not carrying the token. */
    public long refused() {
        return refused.get();
    }

    private void listen() {
        ByteBuffer buffer = ByteBuffer.allocate(256);
        while (channel.isOpen()) {
            try {
                buffer.clear();
                channel.receive(buffer);
                byte[] received = new byte[buffer.flip().remaining()];
                buffer.get(received);
                if (MessageDigest.isEqual(received, token)) {
                    rings.incrementAndGet();
                    onRing.run();
                } else {
                    refused.incrementAndGet();
                }
            } catch (ClosedChannelException e) {
                return; // closed by close(): the worker stopped
            } catch (IOException | RuntimeException e) {
                LOG.debug("doorbell on port {}: {}", doorbell.port(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing the doorbell on port {}: {}", doorbell.port(), e.toString());
        }
    }
}
