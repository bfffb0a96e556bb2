package dev.steadfast.cli.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * HTTP/1.1 over a plain socket, for what the JDK's client refuses to send: a forged {@code Host} header,
 * exactly as a DNS-rebinding page makes a browser send it.
 */
final class RawHttp {
    private RawHttp() {}

    /** The response (status line, headers and body) to {@code method path} with the given extra header lines. */
    static Response send(int port, String method, String path, String body, String... headerLines) throws IOException {
        String[] lines = headerLines;
        if (body != null) {
            lines = Arrays.copyOf(headerLines, headerLines.length + 1);
            lines[headerLines.length] = "Content-Type: application/x-www-form-urlencoded";
        }
        return sendBytes(port, method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), lines);
    }

    /** As {@link #send}, with a body of any content type (the header lines name it) and its Content-Length. */
    static Response sendBytes(int port, String method, String path, byte[] content, String... headerLines)
            throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(10_000);
            StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nConnection: close\r\n");
            for (String line : headerLines) {
                request.append(line).append("\r\n");
            }
            if (content != null) {
                request.append("Content-Length: ").append(content.length).append("\r\n");
            }
            request.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            if (content != null) {
                out.write(content);
            }
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return new Response(all.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * A client that sends a request's headers (declaring a body of {@code declared} bytes) and then the body one byte
     * at a time, as slowly as the caller's {@link #trickle()} calls; {@link #answer()} is what the server said, once
     * it said something.
     */
    static final class SlowBody implements AutoCloseable {
        private final Socket socket = new Socket();
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private final Thread reader;

        SlowBody(int port, String path, long declared, String... headerLines) throws IOException {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            StringBuilder request = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: localhost\r\n");
            for (String line : headerLines) {
                request.append(line).append("\r\n");
            }
            request.append("Content-Length: ").append(declared).append("\r\n\r\n");
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            reader = new Thread(() -> {
                try {
                    InputStream in = socket.getInputStream();
                    byte[] buffer = new byte[4096];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        synchronized (received) {
                            received.write(buffer, 0, n);
                        }
                    }
                } catch (IOException e) {
                    // closed: the answer so far is all there is
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        /** One more byte of the body; false once the server has closed the connection. */
        boolean trickle() {
            try {
                socket.getOutputStream().write('a');
                socket.getOutputStream().flush();
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        /** What the server has answered so far, or null. */
        Response answer() {
            synchronized (received) {
                String raw = received.toString(StandardCharsets.UTF_8);
                return raw.contains("\r\n\r\n") ? new Response(raw) : null;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    record Response(String raw) {
        int status() {
            return Integer.parseInt(raw.substring(9, 12));
        }

        String body() {
            int at = raw.indexOf("\r\n\r\n");
            return at < 0 ? "" : raw.substring(at + 4);
        }

        String header(String name) {
            for (String line :
                    raw.substring(0, Math.max(0, raw.indexOf("\r\n\r\n"))).split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }
}
