package dev.steadfast.embedded;

import java.io.IOException;
import java.util.List;

/** The embedded server was not stopped: live steadfast processes (a worker, the dashboard) still use it. */
public final class EmbeddedServerInUseException extends IOException {
    private final transient List<Long> clients;

    public EmbeddedServerInUseException(List<Long> clients) {
        super("in use by " + clients.size() + " steadfast process(es) (pid "
                + clients.stream()
                        .map(String::valueOf)
                        .reduce((a, b) -> a + ", " + b)
                        .orElse("") + ")");
        this.clients = List.copyOf(clients);
    }

    /** Process ids of the processes using the server. */
    public List<Long> clients() {
        return clients;
    }
}
