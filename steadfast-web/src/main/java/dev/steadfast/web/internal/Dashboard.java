package dev.steadfast.web.internal;

import static dev.steadfast.web.internal.Route.Guard.ACTION;
import static dev.steadfast.web.internal.Route.Guard.PROBE;
import static dev.steadfast.web.internal.Route.Guard.PUBLIC;
import static dev.steadfast.web.internal.Route.Guard.SIGNED_IN;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.BatchView;
import dev.steadfast.queue.CancelOutcome;
import dev.steadfast.queue.FailedJob;
import dev.steadfast.queue.JobBrowser;
import dev.steadfast.queue.JobFilter;
import dev.steadfast.queue.JobPage;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.JobStatus;
import dev.steadfast.queue.JobView;
import dev.steadfast.queue.RateLimit;
import dev.steadfast.queue.Worker;
import dev.steadfast.queue.doctor.DoctorReport;
import dev.steadfast.web.RateText;
import dev.steadfast.web.RetentionNote;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;

/** The dashboard's route table and the actions behind it. */
final class Dashboard {
    /** How much of a payload, an error or a stack trace a job page shows; the rest is a download. */
    static final int SHOWN_CHARS = 64 * 1024;

    private static final Duration WORKER_ALIVE = Duration.ofMinutes(1);
    private static final int FAILED_PAGE = 100;

    private final JobQueue queue;
    private final ResilientDatabase db;
    private final Supplier<String> metrics;
    private final Access access;
    private final Sessions sessions;
    private final LoginThrottle throttle;
    private final Worker worker;
    private final Cached<Map<String, Object>> readiness;
    private final Cached<DoctorReport> doctor;
    private final byte[] stylesheet;
    private final byte[] script;
    private final boolean readOnly;
    // a download holds a whole payload (up to the enqueue limit) in memory: one at a time
    private final Semaphore downloads = new Semaphore(1);

    /**
     * @param metrics  the Prometheus text {@code /metrics} shows, or null where the application serves its own (mounted)
     * @param worker   the worker of this process, or null
     */
    Dashboard(
            JobQueue queue,
            Supplier<String> metrics,
            Access access,
            Sessions sessions,
            Readiness readiness,
            Worker worker,
            Clock clock,
            boolean readOnly) {
        this.readOnly = readOnly;
        this.queue = queue;
        this.db = queue.database();
        this.metrics = metrics;
        this.access = access;
        this.sessions = sessions;
        this.throttle = access.throttle();
        this.worker = worker;
        this.readiness = new Cached<>(readiness::check, Duration.ofSeconds(1), clock);
        this.doctor =
                new Cached<>(() -> DoctorReport.examine(queue, Duration.ofSeconds(30)), Duration.ofSeconds(15), clock);
        this.stylesheet = resource("/web/dashboard.css");
        this.script = resource("/web/dashboard.js");
    }

    List<Route> routes() {
        List<Route> routes = new ArrayList<>(new JobsApi(queue, resource("/web/openapi.json")).routes(readOnly));
        routes.addAll(new BatchesApi(queue).routes(readOnly));
        routes.addAll(new WorkflowsApi(queue).routes(readOnly));
        routes.addAll(List.of(
                Route.get("/healthz", PROBE, (r, c, m) -> Reply.json(200, Map.of("status", "up"))),
                Route.get("/readyz", PROBE, (r, c, m) -> ready()),
                Route.get(
                        "/static/dashboard.css",
                        PUBLIC,
                        (r, c, m) -> new Reply(200, "text/css; charset=utf-8", stylesheet, Map.of())),
                Route.get(
                        "/static/dashboard.js",
                        PUBLIC,
                        (r, c, m) -> new Reply(200, "text/javascript; charset=utf-8", script, Map.of())),
                Route.get(
                        "/login",
                        PUBLIC,
                        (r, c, m) -> Reply.html(
                                200, LoginPage.login("", Flash.render(r.param("done"), null), access.tokenRequired()))),
                Route.post("/login", PUBLIC, (r, c, m) -> login(r)),
                Route.get(
                        "/logout",
                        SIGNED_IN,
                        (r, c, m) -> Reply.html(200, LoginPage.logout(c.csrf(), access.tokenRequired()))),
                Route.post("/logout", ACTION, (r, c, m) -> logout(r, c)),
                Route.get("/", SIGNED_IN, (r, c, m) -> overview(r, c)),
                Route.get(
                        "/metrics",
                        SIGNED_IN,
                        (r, c, m) -> metrics == null
                                ? Reply.text(404, "metrics are the application's own here (its actuator or registry)")
                                : new Reply(
                                        200,
                                        "text/plain; version=0.0.4; charset=utf-8",
                                        metrics.get().getBytes(StandardCharsets.UTF_8),
                                        Map.of())),
                Route.get("/jobs", SIGNED_IN, (r, c, m) -> jobs(r, c)),
                Route.get("/jobs/(\\d{1,18})", SIGNED_IN, this::job),
                Route.get("/jobs/(\\d{1,18})/payload", SIGNED_IN, this::payload),
                writes("/jobs/(\\d{1,18})/delete", (r, c, m) -> deleteJob(Long.parseLong(m.group(1)))),
                writes("/jobs/(\\d{1,18})/run-now", (r, c, m) -> runNow(Long.parseLong(m.group(1)))),
                writes("/jobs/(\\d{1,18})/cancel", (r, c, m) -> cancelJob(Long.parseLong(m.group(1)))),
                writes("/jobs/cancel", (r, c, m) -> cancelJobs(r, c)),
                writes("/queues/pause", (r, c, m) -> pauseOrResume(r, true)),
                writes("/queues/resume", (r, c, m) -> pauseOrResume(r, false)),
                writes("/queues/limit", (r, c, m) -> limitRate(r)),
                Route.get("/failed", SIGNED_IN, (r, c, m) -> failed(r, c)),
                writes("/failed/retry", (r, c, m) -> retryOrForget(r, c, true)),
                writes("/failed/forget", (r, c, m) -> retryOrForget(r, c, false)),
                Route.get(
                        "/schedules",
                        SIGNED_IN,
                        (r, c, m) -> Reply.html(
                                200,
                                SchedulesPage.render(
                                        queue.schedules(),
                                        actionsToken(c),
                                        Flash.render(r.param("done"), r.param("n"))))),
                Route.get("/batches", SIGNED_IN, (r, c, m) -> batches(r)),
                Route.get("/batches/(\\d{1,18})", SIGNED_IN, this::batch),
                writes("/batches/(\\d{1,18})/(cancel|retry|close)", this::changeBatch),
                Route.get(
                        "/workflows",
                        SIGNED_IN,
                        (r, c, m) -> Reply.html(
                                200,
                                WorkflowsPage.render(
                                        queue.workflows().list(r.idParam("before"), WorkflowsPage.PAGE),
                                        r.idParam("before")))),
                Route.get(
                        "/workflows/(\\d{1,18})",
                        SIGNED_IN,
                        (r, c, m) -> workflow(
                                Long.parseLong(m.group(1)),
                                actionsToken(c),
                                Flash.render(r.param("done"), r.param("n")))),
                writes("/workflows/(\\d{1,18})/cancel", (r, c, m) -> workflowAction(Long.parseLong(m.group(1)), true)),
                writes("/workflows/(\\d{1,18})/retry", (r, c, m) -> workflowAction(Long.parseLong(m.group(1)), false)),
                writes("/schedules/pause", (r, c, m) -> pauseOrResumeSchedule(r, true)),
                writes("/schedules/resume", (r, c, m) -> pauseOrResumeSchedule(r, false)),
                Route.get(
                        "/workers",
                        SIGNED_IN,
                        (r, c, m) -> Reply.html(
                                200,
                                WorkersPage.render(
                                        queue.browser().workers(WORKER_ALIVE),
                                        queue.browser().stoppedWorkers(WorkersPage.STOPPED_SHOWN)))),
                Route.get("/connections", SIGNED_IN, (r, c, m) -> connections())));
        return routes;
    }

    /**
     * The route of an action that changes jobs; on a read-only dashboard, whose database user may not write, one
     * that refuses it (signed in, no CSRF token needed: its pages carry none).
     */
    private Route writes(String path, Route.Action action) {
        return readOnly
                ? Route.post(
                        path,
                        SIGNED_IN,
                        (r, c, m) ->
                                Reply.text(403, "this dashboard is read-only (serve --read-only): it changes no jobs"))
                : Route.post(path, ACTION, action);
    }

    /** The CSRF token pages put in their action forms; null on a read-only dashboard, whose pages show no actions. */
    private String actionsToken(Access.Caller caller) {
        return readOnly ? null : caller.csrf();
    }

    private Reply ready() throws Exception {
        Map<String, Object> body = readiness.get();
        return Reply.json("ready".equals(body.get("status")) ? 200 : 503, body);
    }

    private Reply overview(Request r, Access.Caller caller) throws SQLException {
        JobBrowser browser = queue.browser();
        return Reply.html(
                200,
                OverviewPage.render(
                        queue.stats(),
                        browser.latencies(),
                        browser.finishedPerMinute(60),
                        browser.workers(WORKER_ALIVE),
                        ProcessConnections.of(db, worker),
                        actionsToken(caller),
                        Flash.render(r.param("done"), r.param("n")),
                        queue.stranded()));
    }

    private Reply connections() throws Exception {
        return Reply.html(
                200,
                ConnectionsPage.render(
                        ProcessConnections.of(db, worker), queue.browser().workers(WORKER_ALIVE), doctor.get()));
    }

    private Reply jobs(Request r, Access.Caller caller) throws SQLException {
        String state = Optional.ofNullable(r.param("state")).orElse("pending");
        JobStatus status;
        try {
            status = JobStatus.parse(state);
        } catch (IllegalArgumentException e) {
            return Reply.html(400, Layout.message("Unknown state", "No such state: " + state));
        }
        JobFilter filter = JobFilter.all()
                .status(status)
                .queue(r.param("queue"))
                .type(r.param("type"))
                .search(r.param("q"));
        JobPage page;
        try {
            page = queue.browser().page(filter, r.param("after"), JobsPage.PAGE_SIZE);
        } catch (IllegalArgumentException e) {
            return Reply.html(400, Layout.message("Bad page", e.getMessage()));
        }
        return Reply.html(
                200,
                JobsPage.render(
                        filter,
                        page,
                        r.param("after") != null,
                        Flash.render(r.param("done"), r.param("n")),
                        actionsToken(caller)));
    }

    private Reply job(Request r, Access.Caller caller, Matcher m) throws SQLException {
        long id = Long.parseLong(m.group(1));
        Optional<JobView> job = queue.browser().job(id, SHOWN_CHARS + 1);
        if (job.isEmpty()) {
            return Reply.html(
                    404, Layout.message("No such job", "There is no job " + id + " (" + RetentionNote.GONE + ")."));
        }
        return Reply.html(
                200,
                JobDetailPage.render(
                        job.get(),
                        queue.browser().failure(id),
                        queue.browser().outputs(id),
                        new HandlerNotes(
                                queue.browser().result(id).orElse(null),
                                queue.browser().progress(id).orElse(null),
                                queue.browser().logs(id)),
                        BatchesPage.jobRows(
                                queue.batches().memberOf(id), queue.batches().callbackOf(id)),
                        actionsToken(caller),
                        Flash.render(r.param("done"), r.param("n")),
                        queue.workflows().ofJob(id).orElse(null)));
    }

    private Reply workflowAction(long id, boolean cancel) throws SQLException {
        Optional<Integer> n =
                cancel ? queue.workflows().cancel(id) : queue.workflows().retry(id);
        return Reply.redirect("/workflows/" + id + "?done=" + (cancel ? Flash.CANCELLED : Flash.RETRIED).code() + "&n="
                + n.orElse(0));
    }

    private Reply workflow(long id, String csrf, String flash) throws SQLException {
        return queue.workflows()
                .find(id)
                .map(w -> Reply.html(200, WorkflowPage.render(w, csrf, flash)))
                .orElseGet(
                        () -> Reply.html(404, Layout.message("No such workflow", "There is no workflow " + id + ".")));
    }

    private Reply payload(Request r, Access.Caller caller, Matcher m) throws SQLException, InterruptedException {
        long id = Long.parseLong(m.group(1));
        if (!downloads.tryAcquire(5, TimeUnit.SECONDS)) {
            return Reply.text(503, "another payload is being downloaded; try again in a moment")
                    .with("Retry-After", "5");
        }
        try {
            Optional<String> payload = queue.browser().payload(id);
            if (payload.isEmpty()) {
                return Reply.text(404, "no job " + id);
            }
            return new Reply(
                    200,
                    "application/json",
                    payload.get().getBytes(StandardCharsets.UTF_8),
                    Map.of("Content-Disposition", "attachment; filename=\"job-" + id + "-payload.json\""));
        } finally {
            downloads.release();
        }
    }

    private Reply failed(Request r, Access.Caller caller) throws SQLException {
        Long before = r.idParam("before");
        JobFilter filter = JobFilter.all().queue(r.param("queue")).type(r.param("type"));
        List<FailedJob> rows = queue.browser().failures(filter, before, FAILED_PAGE + 1);
        boolean more = rows.size() > FAILED_PAGE;
        List<FailedJob> shown = more ? rows.subList(0, FAILED_PAGE) : rows;
        Long older = more ? shown.get(shown.size() - 1).id() : null;
        long total = queue.count(filter.status(JobStatus.FAILED), JobBrowser.COUNT_CAP);
        return Reply.html(
                200,
                FailedPage.render(
                        shown,
                        actionsToken(caller),
                        Flash.render(r.param("done"), r.param("n")),
                        before != null,
                        older,
                        total,
                        filter));
    }

    /** Retry or forget: one job at once; all, or several to forget, after a confirmation page. */
    private Reply retryOrForget(Request r, Access.Caller caller, boolean retry) throws SQLException {
        boolean all = retry && "1".equals(r.param("all"));
        List<String> ids = r.param("only") != null ? List.of(r.param("only")) : r.fields("id");
        boolean bulk = all || (!retry && ids.size() > 1);
        if (bulk && !"1".equals(r.field("confirmed"))) {
            long n = all ? queue.count(JobFilter.all().status(JobStatus.FAILED), Long.MAX_VALUE) : ids.size();
            String what = (retry ? "retry " : "forget (delete) ") + Html.num(n) + " failed job(s)";
            return Reply.html(
                    200,
                    FailedPage.confirm(
                            retry ? "/failed/retry?all=1" : "/failed/forget",
                            what,
                            all ? List.of() : ids,
                            caller.csrf()));
        }
        long done = 0;
        if (all) {
            done = queue.retryFailed(JobFilter.all());
        } else {
            for (String raw : ids) {
                Optional<Long> id = Ids.parse(raw);
                if (id.isPresent() && (retry ? queue.retryFailed(id.get()) : queue.forgetFailed(id.get()))) {
                    done++;
                }
            }
        }
        return Reply.redirect("/failed?done=" + (retry ? Flash.RETRIED : Flash.FORGOTTEN).code() + "&n=" + done);
    }

    private Reply deleteJob(long id) throws SQLException {
        Optional<JobView> job = queue.browser().job(id, 0);
        if (job.isPresent() && queue.delete(id)) {
            return Reply.redirect(
                    "/jobs?state=" + job.get().status().text() + "&done=" + Flash.DELETED.code() + "&n=1");
        }
        return Reply.redirect("/jobs/" + id + "?done=" + Flash.NOT_DONE.code() + "&n=" + id);
    }

    private Reply cancelJob(long id) throws SQLException {
        CancelOutcome outcome = queue.cancel(id);
        boolean done = outcome == CancelOutcome.CANCELLED || outcome == CancelOutcome.STOP_REQUESTED;
        return Reply.redirect(
                "/jobs/" + id + "?done=" + (done ? Flash.CANCELLED : Flash.NOT_DONE).code() + "&n=" + (done ? 1 : id));
    }

    /** Cancels every waiting or running job a list shows (its state, queue and type), after a confirmation. */
    private Reply cancelJobs(Request r, Access.Caller caller) throws SQLException {
        JobStatus status;
        try {
            status = JobStatus.parse(r.param("state"));
        } catch (IllegalArgumentException e) {
            status = null;
        }
        if (status == null || !status.cancellable()) {
            return Reply.html(
                    400,
                    Layout.message(
                            "Nothing to cancel",
                            "Only pending, scheduled, waiting and running jobs can be cancelled."));
        }
        String state = status.text();
        JobFilter filter =
                JobFilter.all().status(status).queue(r.param("queue")).type(r.param("type"));
        String list =
                "/jobs?state=" + Html.url(state) + (filter.queue() == null ? "" : "&queue=" + Html.url(filter.queue()))
                        + (filter.type() == null ? "" : "&type=" + Html.url(filter.type()));
        if (!"1".equals(r.field("confirmed"))) {
            long n = queue.count(filter, Long.MAX_VALUE);
            String what = "cancel " + Html.num(n) + " " + state + " job(s)"
                    + (filter.queue() == null ? "" : " in queue " + filter.queue())
                    + (filter.type() == null ? "" : " of type " + filter.type());
            return Reply.html(
                    200,
                    JobsPage.confirmCancel(list.replaceFirst("^/jobs\\?", "/jobs/cancel?"), what, list, caller.csrf()));
        }
        long done = queue.cancel(filter);
        return Reply.redirect(list + "&done=" + Flash.CANCELLED.code() + "&n=" + done);
    }

    private Reply pauseOrResume(Request r, boolean pause) throws SQLException {
        String name = r.field("queue");
        if (!knownQueue(name)) {
            return noSuchQueue();
        }
        boolean changed = pause ? queue.pause(name) : queue.resume(name);
        Flash flash = !changed ? Flash.NOT_DONE : pause ? Flash.PAUSED : Flash.RESUMED;
        return Reply.redirect("/?done=" + flash.code() + "&n=1");
    }

    /** Sets a queue's rate limit from the field {@code rate} ({@code 10/1s}), or takes it away ({@code off}). */
    private Reply limitRate(Request r) throws SQLException {
        String name = r.field("queue");
        if (!knownQueue(name)) {
            return noSuchQueue();
        }
        String rate = Optional.ofNullable(r.field("rate")).orElse("").trim();
        if (rate.equals("off")) {
            Flash flash = queue.removeRateLimit(name) ? Flash.RATE_LIMIT_REMOVED : Flash.NOT_DONE;
            return Reply.redirect("/?done=" + flash.code() + "&n=1");
        }
        RateLimit limit;
        try {
            limit = RateText.parse(rate);
        } catch (IllegalArgumentException e) {
            return Reply.html(400, Layout.message("Not a rate limit", e.getMessage()));
        }
        Flash flash = queue.limitRate(name, limit) ? Flash.RATE_LIMITED : Flash.NOT_DONE;
        return Reply.redirect("/?done=" + flash.code() + "&n=1");
    }

    private boolean knownQueue(String name) throws SQLException {
        return name != null && !name.isBlank() && name.length() <= 64 && queue.isKnownQueue(name);
    }

    private static Reply noSuchQueue() {
        return Reply.html(400, Layout.message("No such queue", "There is no queue by that name."));
    }

    private Reply pauseOrResumeSchedule(Request r, boolean pause) throws SQLException {
        String name = r.field("schedule");
        boolean changed = name != null && (pause ? queue.pauseSchedule(name) : queue.resumeSchedule(name));
        Flash flash = !changed ? Flash.NOT_DONE : pause ? Flash.SCHEDULE_PAUSED : Flash.SCHEDULE_RESUMED;
        return Reply.redirect("/schedules?done=" + flash.code() + "&n=1");
    }

    private Reply batches(Request r) throws SQLException {
        Long before = r.idParam("before");
        List<BatchView> page = queue.batches().list(before, BatchesPage.PAGE);
        Long next = page.size() < BatchesPage.PAGE
                ? null
                : page.get(page.size() - 1).id();
        return Reply.html(200, BatchesPage.list(page, next, Flash.render(r.param("done"), r.param("n"))));
    }

    private Reply batch(Request r, Access.Caller caller, Matcher m) throws SQLException {
        long id = Long.parseLong(m.group(1));
        Optional<BatchView> batch = queue.batches().find(id);
        if (batch.isEmpty()) {
            return Reply.html(404, Layout.message("No such batch", "There is no batch " + id + "."));
        }
        return Reply.html(
                200, BatchesPage.one(batch.get(), actionsToken(caller), Flash.render(r.param("done"), r.param("n"))));
    }

    private Reply changeBatch(Request r, Access.Caller caller, Matcher m) throws SQLException {
        long id = Long.parseLong(m.group(1));
        Flash done;
        long n = 1;
        switch (m.group(2)) {
            case "cancel" -> done = queue.batches().cancel(id) ? Flash.BATCH_CANCELLED : Flash.BATCH_NOT_DONE;
            case "close" -> done = queue.batches().close(id) ? Flash.BATCH_CLOSED : Flash.BATCH_NOT_DONE;
            default -> {
                n = queue.batches().retryFailed(id);
                done = Flash.RETRIED;
            }
        }
        return Reply.redirect("/batches/" + id + "?done=" + done.code() + "&n=" + n);
    }

    private Reply runNow(long id) throws SQLException {
        Flash done = queue.runNow(id) ? Flash.DUE_NOW : Flash.NOT_DONE;
        return Reply.redirect("/jobs/" + id + "?done=" + done.code() + "&n=" + (done == Flash.DUE_NOW ? 1 : id));
    }

    private Reply loginPage(int status, String error) {
        return Reply.html(status, LoginPage.login(error, access.tokenRequired()));
    }

    private Reply login(Request r) {
        if (r.hasQueryParam("token")) {
            return Reply.text(400, "send the token in the form body or an Authorization header, never in the URL");
        }
        if (!access.tokenRequired()) {
            return Reply.redirect("/");
        }
        String address = access.address(r);
        Duration wait = throttle.waitFor(address);
        if (!wait.isZero()) {
            long seconds = LoginThrottle.seconds(wait);
            return Reply.html(429, LoginPage.login("Too many wrong tokens: try again in " + seconds + " s.", true))
                    .with("Retry-After", Long.toString(seconds));
        }
        if (!access.matches(r.field("token"))) {
            throttle.failed(address);
            return loginPage(401, "Wrong token.");
        }
        throttle.succeeded(address);
        Sessions.Session session = sessions.create();
        return Reply.redirect("/")
                .with(
                        "Set-Cookie",
                        Router.cookie(r, Sessions.COOKIE, session.id(), "; Max-Age=" + Sessions.ABSOLUTE.toSeconds()));
    }

    private Reply logout(Request r, Access.Caller caller) {
        caller.session().ifPresent(s -> sessions.end(s.id()));
        return Reply.redirect("/login?done=" + Flash.SIGNED_OUT.code())
                .with("Set-Cookie", Router.cookie(r, Sessions.COOKIE, "", "; Max-Age=0"));
    }

    private static byte[] resource(String name) {
        try (InputStream in = Dashboard.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + name + " from the jar", e);
        }
    }
}
