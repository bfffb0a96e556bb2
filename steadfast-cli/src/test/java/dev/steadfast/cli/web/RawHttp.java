package dev.steadfast.cli.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, for what the JDK's client refuses to send: a forged {@code Host} header,
 * exactly as a DNS-rebinding page makes a browser send it.
 */
final class RawHttp {
    private RawHttp() {
    }

    /** The response (status line, headers and body) to {@code method path} with the given extra header lines. */
    static Response send(int port, String method, String path, String body, String... headerLines) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(10_000);
            StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nConnection: close\r\n");
            for (String line : headerLines) {
                request.append(line).append("\r\n");
            }
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            if (body != null) {
                request.append("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ").append(content.length).append("\r\n");
            }
            request.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return new Response(all.toString(StandardCharsets.UTF_8));
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
            for (String line : raw.substring(0, Math.max(0, raw.indexOf("\r\n\r\n"))).split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }
}
