package dev.steadfast.web;

import dev.steadfast.web.internal.BasePath;
import java.util.List;

/**
 * Where the dashboard listens and who may use it.
 *
 * @param bind        address to bind (127.0.0.1 by default)
 * @param port        TCP port (0: any free port)
 * @param token       required from every client when not null; mandatory when binding beyond loopback
 * @param publicHosts host names the dashboard answers to besides the bind address and loopback names
 * @param basePath    the path prefix a reverse proxy serves the dashboard under ({@code /steadfast}), or empty
 * @param readOnly    no actions (retry, forget, delete, run now): for a database user that may only read
 * @param trustedProxies addresses of reverse proxies whose {@code X-Forwarded-For} names the client the login
 *                    throttle counts (empty: every client is its connection's peer)
 */
public record WebSettings(
        String bind,
        int port,
        String token,
        List<String> publicHosts,
        String basePath,
        boolean readOnly,
        List<String> trustedProxies) {

    public WebSettings {
        publicHosts = List.copyOf(publicHosts);
        basePath = BasePath.normalise(basePath);
        trustedProxies = List.copyOf(trustedProxies);
    }

    /** Settings that trust no proxy's {@code X-Forwarded-For}. */
    public WebSettings(
            String bind, int port, String token, List<String> publicHosts, String basePath, boolean readOnly) {
        this(bind, port, token, publicHosts, basePath, readOnly, List.of());
    }

    /** These settings, with the login throttle counting the clients these proxies name in {@code X-Forwarded-For}. */
    public WebSettings trustingProxies(List<String> proxies) {
        return new WebSettings(bind, port, token, publicHosts, basePath, readOnly, proxies);
    }

    /** Settings served at the root path. */
    public WebSettings(String bind, int port, String token, List<String> publicHosts) {
        this(bind, port, token, publicHosts, "", false);
    }

    /** Settings of a dashboard with actions. */
    public WebSettings(String bind, int port, String token, List<String> publicHosts, String basePath) {
        this(bind, port, token, publicHosts, basePath, false);
    }

    /** These settings without actions: pages show no buttons and action routes answer 403. */
    public WebSettings withoutActions() {
        return new WebSettings(bind, port, token, publicHosts, basePath, true, trustedProxies);
    }

    /** Settings that answer to the bind address and the loopback names only. */
    public WebSettings(String bind, int port, String token) {
        this(bind, port, token, List.of());
    }
}
