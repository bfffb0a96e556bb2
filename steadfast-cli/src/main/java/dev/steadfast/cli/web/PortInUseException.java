package dev.steadfast.cli.web;

import java.io.IOException;

/** The dashboard's address is taken (another process listens on it) or not ours to bind. */
public final class PortInUseException extends IOException {
    private static final long serialVersionUID = 1L;

    PortInUseException(String bind, int port, Throwable cause) {
        super("port " + port + " on " + bind + " is in use (or not allowed)", cause);
    }
}
