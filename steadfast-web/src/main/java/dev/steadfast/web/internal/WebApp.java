package dev.steadfast.web.internal;

import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.Worker;
import dev.steadfast.web.WebSettings;
import java.time.Clock;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The dashboard, the HTTP API and the probes, assembled for whatever serves them: the {@link Router} a server adapter
 * hands its requests to, and the readiness probe's thread, released by {@link #close()}.
 */
public final class WebApp implements AutoCloseable {
    private final Router router;
    private final Readiness readiness;

    private WebApp(Router router, Readiness readiness) {
        this.router = router;
        this.readiness = readiness;
    }

    /**
     * Served by its own HTTP server (the command's {@code serve} and {@code work --http-port}): its token, the host
     * names it answers to, its base path and the proxies it trusts come from {@code settings}.
     *
     * @param metrics the Prometheus text {@code /metrics} shows
     * @param worker  the worker of this process, or null
     */
    public static WebApp standalone(WebSettings settings, JobQueue queue, Supplier<String> metrics, Worker worker) {
        Sessions sessions = new Sessions(Clock.systemUTC());
        Access access = new Access(
                settings.token(),
                sessions,
                Clock.systemUTC(),
                new ClientAddress(Set.copyOf(settings.trustedProxies())));
        Readiness readiness = new Readiness(queue.database(), worker);
        Dashboard dashboard = new Dashboard(
                queue, metrics, access, sessions, readiness, worker, Clock.systemUTC(), settings.readOnly());
        Router router = new Router(
                dashboard.routes(),
                new HostAllowList(settings.bind(), settings.publicHosts()),
                access,
                settings.basePath());
        return new WebApp(router, readiness);
    }

    /**
     * Mounted in an application's servlet container, behind its security: no token of its own, any host name, no
     * {@code /metrics} (the application's actuator has them).
     */
    public static WebApp mounted(JobQueue queue, Worker worker, boolean readOnly) {
        Sessions sessions = new Sessions(Clock.systemUTC());
        Access access = new Access(null, sessions, Clock.systemUTC(), ClientAddress.peer());
        Readiness readiness = new Readiness(queue.database(), worker);
        Dashboard dashboard =
                new Dashboard(queue, null, access, sessions, readiness, worker, Clock.systemUTC(), readOnly);
        return new WebApp(new Router(dashboard.routes(), HostAllowList.application(), access, ""), readiness);
    }

    /** Where requests go. */
    public Router router() {
        return router;
    }

    @Override
    public void close() {
        readiness.close();
    }
}
