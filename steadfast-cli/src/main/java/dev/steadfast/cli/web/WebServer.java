package dev.steadfast.cli.web;

import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.Worker;
import dev.steadfast.web.WebSettings;
import dev.steadfast.web.internal.Router;
import dev.steadfast.web.internal.WebApp;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.BindException;
import java.time.Duration;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard, {@code /metrics} (Prometheus text), {@code /healthz} and {@code /readyz}, served by Jetty:
 * server-rendered pages, everything from the jar, no CDN.
 *
 * <p>Slow clients cannot hang it: Jetty reads requests without holding a thread until a request is
 * complete, a connection silent for {@link #IDLE_TIMEOUT} is closed, a body is read whole before the request takes
 * any permit and must be complete within a deadline ({@link BodyReader}), bodies in memory are bounded by a byte
 * budget, the number of connections is capped, and pages render at most {@link Router#CONCURRENT_PAGES} at a time
 * (plus {@link Router#CONCURRENT_PUBLIC} for pages that need no token) while probes are never held back.
 */
public final class WebServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(10);
    static final int MAX_CONNECTIONS = 1024;
    private static final int MAX_THREADS = 32;

    private final Server server;
    private final ServerConnector connector;
    private final WebApp app;

    private WebServer(WebSettings settings, JobQueue queue, PrometheusMeterRegistry registry, Worker worker) {
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 4);
        threads.setName("steadfast-web");
        threads.setDaemon(true);
        server = new Server(threads);
        server.setStopTimeout(0); // no graceful phase: a browser's idle keep-alive connection must not delay a stop
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(true);
        http.setRequestHeaderSize(16 * 1024);
        http.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(settings.bind());
        connector.setPort(settings.port());
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        connector.setAcceptQueueSize(128);
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, connector));
        app = WebApp.standalone(settings, queue, registry::scrape, worker);
        server.setHandler(new JettyHandler(app.router()));
    }

    /** Starts serving; {@code worker} is null in a process that runs none (readiness then ignores it). */
    public static WebServer start(WebSettings settings, JobQueue queue, PrometheusMeterRegistry registry, Worker worker)
            throws IOException {
        WebServer web = new WebServer(settings, queue, registry, worker);
        try {
            web.server.start();
        } catch (IOException e) {
            web.close();
            if (e instanceof BindException || e.getCause() instanceof BindException) {
                throw new PortInUseException(settings.bind(), settings.port(), e);
            }
            throw e;
        } catch (Exception e) {
            web.close();
            throw new IOException(
                    "cannot serve on " + settings.bind() + ":" + settings.port() + ": " + e.getMessage(), e);
        }
        LOG.info(
                "dashboard at http://{}:{}/ (metrics at /metrics, probes at /healthz and /readyz){}",
                settings.bind(),
                web.port(),
                settings.token() != null ? "; token required" : "");
        return web;
    }

    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("dashboard did not stop cleanly: {}", e.toString());
        } finally {
            app.close();
        }
    }

    @Override
    public String toString() {
        return "dashboard on port " + port();
    }
}
