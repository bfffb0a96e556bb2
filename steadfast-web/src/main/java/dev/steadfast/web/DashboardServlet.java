package dev.steadfast.web;

import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.Worker;
import dev.steadfast.web.internal.Router;
import dev.steadfast.web.internal.ServletRequest;
import dev.steadfast.web.internal.WebApp;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/**
 * The dashboard mounted in an application's servlet container (Spring Boot's starter maps it to
 * {@code steadfast.dashboard.path}), behind the application's own security: the application decides who reaches it
 * (its filters run first) and which host names it answers to. The dashboard itself asks for no token of its own, still
 * refuses cross-site form posts (Origin, and the CSRF token of its forms: each client's own, kept in its container
 * session when it has one, else in an {@code HttpOnly} cookie) and escapes everything it shows. Metrics and probes are
 * the application's (its actuator).
 */
public final class DashboardServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient WebApp app;

    /**
     * @param queue    the queue to show
     * @param worker   the application's worker, or null
     * @param readOnly show no actions (retry, delete, pause...), and refuse them
     */
    public DashboardServlet(JobQueue queue, Worker worker, boolean readOnly) {
        this.app = WebApp.mounted(queue, worker, readOnly);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ServletRequest dashboardRequest = new ServletRequest(request);
        // the container reads a form's body now, on its own thread, before the router takes any of its permits
        dashboardRequest.readFormAhead();
        Router.Answer answer = app.router().respond(dashboardRequest);
        response.setStatus(answer.status());
        for (Map.Entry<String, String> header : answer.headers().entrySet()) {
            response.setHeader(header.getKey(), header.getValue());
        }
        response.setContentLength(answer.body().length);
        response.getOutputStream().write(answer.body());
    }

    @Override
    public void destroy() {
        app.close();
    }
}
