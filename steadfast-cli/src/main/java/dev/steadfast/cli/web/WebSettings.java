package dev.steadfast.cli.web;

/**
 * Where the dashboard listens and who may use it.
 *
 * @param bind  address to bind (127.0.0.1 by default)
 * @param port  TCP port (0: any free port)
 * @param token required from every client when not null; mandatory when binding beyond loopback
 */
public record WebSettings(String bind, int port, String token) {
}
