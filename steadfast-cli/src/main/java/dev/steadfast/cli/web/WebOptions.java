package dev.steadfast.cli.web;

import dev.steadfast.cli.SecretFiles;
import dev.steadfast.cli.UserException;
import dev.steadfast.queue.text.Redactor;
import dev.steadfast.web.WebSettings;
import dev.steadfast.web.internal.BasePath;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Turns {@code --bind}, {@code --port} and the token sources into {@link WebSettings}, refusing an open dashboard. */
public final class WebOptions {
    private WebOptions() {}

    /**
     * @param tokenFile file holding the token; otherwise {@code STEADFAST_UI_TOKEN}
     */
    public static WebSettings settings(String bind, int port, Path tokenFile) {
        return settings(bind, port, tokenFile, List.of());
    }

    /**
     * @param tokenFile   file holding the token; otherwise {@code STEADFAST_UI_TOKEN}
     * @param publicHosts names (besides the bind address and loopback) the dashboard answers to
     */
    public static WebSettings settings(String bind, int port, Path tokenFile, List<String> publicHosts) {
        return settings(bind, port, tokenFile, publicHosts, "");
    }

    /**
     * @param tokenFile   file holding the token; otherwise {@code STEADFAST_UI_TOKEN}
     * @param publicHosts names (besides the bind address and loopback) the dashboard answers to
     * @param basePath    the path a reverse proxy serves the dashboard under, or empty
     */
    public static WebSettings settings(
            String bind, int port, Path tokenFile, List<String> publicHosts, String basePath) {
        try {
            BasePath.normalise(basePath);
        } catch (IllegalArgumentException e) {
            throw UserException.usage("--base-path: " + e.getMessage());
        }
        for (String host : publicHosts) {
            if (host.isBlank() || !host.matches("[A-Za-z0-9.:\\[\\]_-]+")) {
                throw UserException.usage(
                        "--public-host takes a host name or address without scheme or port, got '" + host + "'");
            }
        }
        if (port < 0 || port > 65535) {
            throw UserException.usage("port must be between 0 and 65535, got " + port);
        }
        String token = token(tokenFile);
        boolean loopback;
        try {
            loopback = InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw UserException.usage("cannot bind to '" + bind + "': unknown host");
        }
        if (!loopback && token == null) {
            throw UserException.usage("binding the dashboard to " + bind + " makes it reachable from other hosts: set "
                    + "STEADFAST_UI_TOKEN or pass --token-file (or bind 127.0.0.1)");
        }
        return new WebSettings(bind, port, token, publicHosts, basePath);
    }

    /**
     * These settings, trusting {@code X-Forwarded-For} from the reverse proxies at {@code proxies} (IP addresses, as
     * the proxy connects from) for the login throttle's count of each client.
     */
    public static WebSettings trustingProxies(WebSettings settings, List<String> proxies) {
        for (String proxy : proxies) {
            if (!proxy.matches("[0-9A-Fa-f:.]{2,45}")) {
                throw UserException.usage(
                        "--trust-proxy takes the IP address the proxy connects from, got '" + proxy + "'");
            }
        }
        return settings.trustingProxies(proxies);
    }

    private static String token(Path tokenFile) {
        String token;
        if (tokenFile != null) {
            SecretFiles.checkPrivate(tokenFile, "--token-file");
            try {
                token = Files.readString(tokenFile).strip();
            } catch (IOException e) {
                throw UserException.usage("cannot read --token-file " + tokenFile + ": " + e.getMessage());
            }
        } else {
            token = System.getenv("STEADFAST_UI_TOKEN");
        }
        if (token != null && token.isBlank()) {
            token = null;
        }
        if (token != null && token.length() < 16) {
            throw UserException.usage("the dashboard token must be at least 16 characters long");
        }
        Redactor.registerSecret(token);
        return token;
    }
}
