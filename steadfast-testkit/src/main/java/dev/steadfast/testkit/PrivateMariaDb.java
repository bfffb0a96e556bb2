package dev.steadfast.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A private server for one test class, started before its first test and removed after its last:
 * {@code @RegisterExtension static final PrivateMariaDb DB = new PrivateMariaDb("--wait-timeout=2");}
 */
public final class PrivateMariaDb implements BeforeAllCallback, AfterAllCallback {
    private final String[] flags;
    private MariaDbServer server;

    public PrivateMariaDb(String... flags) {
        this.flags = flags.clone();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = MariaDbServer.launch(flags);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
        }
    }

    /** The running server. */
    public MariaDbServer server() {
        if (server == null) {
            throw new IllegalStateException("the server starts before the first test of the class");
        }
        return server;
    }
}
