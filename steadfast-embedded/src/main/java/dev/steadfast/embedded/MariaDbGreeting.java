package dev.steadfast.embedded;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Whether a port answers as a MariaDB server: the server speaks first, with a handshake packet (protocol
 * version 10, then its version string, which names MariaDB). A port that is closed, silent, or answered by
 * another program (a stale port file after a reboot) is not our server.
 */
final class MariaDbGreeting {
    private static final int PROTOCOL_10 = 10;

    private MariaDbGreeting() {}

    static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(2000);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] header = new byte[4];
            in.readFully(header);
            int length = (header[0] & 0xff) | (header[1] & 0xff) << 8 | (header[2] & 0xff) << 16;
            if (length < 2 || length > 1 << 16) {
                return false;
            }
            byte[] packet = new byte[length];
            in.readFully(packet);
            if (packet[0] != PROTOCOL_10) {
                return false;
            }
            int end = 1;
            while (end < packet.length && packet[end] != 0) {
                end++;
            }
            return new String(packet, 1, end - 1, StandardCharsets.US_ASCII).contains("MariaDB");
        } catch (IOException e) {
            return false;
        }
    }
}
