package dev.steadfast.web.internal;

import dev.steadfast.queue.Enqueued;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.JobRequest;
import dev.steadfast.queue.PayloadTooLargeException;
import dev.steadfast.queue.text.ControlCharacters;
import dev.steadfast.web.JobJson;
import dev.steadfast.web.RetentionNote;
import java.io.IOException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * The HTTP API for producers in any language: {@code POST /api/jobs} enqueues (answering the id, and whether a live
 * job already held the unique key), {@code GET /api/jobs/{id}} shows a job as {@code jobs show --json} does ({@link JobJson}),
 * {@code GET /api/jobs} lists jobs a page at a time, {@link JobActions} cancels, retries and deletes, and
 * {@code GET /api/openapi.json} describes all of it. A Bearer token always (the {@link Route.Guard#API} guard); bodies
 * bounded; every mistake a 4xx with a JSON {@code error}.
 */
final class JobsApi {
    /** Room for the fields around the largest payload the queue accepts. */
    private static final int ENVELOPE_BYTES = 64 * 1024;
    /** The path of one job. */
    private static final String JOB = "/api/jobs/(\\d{1,18})";
    /** The path of one job whose id is not a job id ({@code /api/jobs/abc}): matched after {@link #JOB}. */
    private static final String NOT_A_JOB = "/api/jobs/([^/]+)";

    private final JobQueue queue;
    private final byte[] openApi;

    JobsApi(JobQueue queue, byte[] openApi) {
        this.queue = queue;
        this.openApi = openApi;
    }

    /** @param readOnly refuse enqueues and changes (a read-only dashboard's database user may not write) */
    List<Route> routes(boolean readOnly) {
        JobActions actions = new JobActions(queue);
        Route.Action refused =
                (r, c, m) -> error(403, "this server is read-only (serve --read-only): it changes no job");
        return List.of(
                Route.get(
                        "/api/openapi.json",
                        Route.Guard.PUBLIC,
                        (r, c, m) -> new Reply(200, "application/json", openApi, Map.of())),
                Route.post(
                        "/api/jobs",
                        Route.Guard.API,
                        maxBody(),
                        readOnly
                                ? (r, c, m) ->
                                        error(403, "this server is read-only (serve --read-only): it enqueues nothing")
                                : (r, c, m) -> enqueue(r)),
                Route.get("/api/jobs", Route.Guard.API, (r, c, m) -> JobListing.answer(queue, r)),
                Route.get(JOB, Route.Guard.API, this::show),
                Route.post(JOB + "/cancel", Route.Guard.API, readOnly ? refused : (r, c, m) -> actions.cancel(id(m))),
                Route.post(JOB + "/retry", Route.Guard.API, readOnly ? refused : (r, c, m) -> actions.retry(id(m))),
                Route.delete(JOB, Route.Guard.API, readOnly ? refused : (r, c, m) -> actions.delete(id(m))),
                Route.get(NOT_A_JOB, Route.Guard.API, JobsApi::notAJobId),
                Route.post(NOT_A_JOB + "/(?:cancel|retry)", Route.Guard.API, JobsApi::notAJobId),
                Route.delete(NOT_A_JOB, Route.Guard.API, JobsApi::notAJobId));
    }

    private static long id(Matcher path) {
        return Long.parseLong(path.group(1));
    }

    private Reply enqueue(Request request) throws IOException, SQLException {
        if (!isJson(request.header("Content-Type"))) {
            return error(415, "send the job as JSON (Content-Type: application/json)");
        }
        JobRequest job;
        try {
            job = JobBody.read(request.body(maxBody()));
        } catch (IllegalArgumentException e) {
            return error(400, e.getMessage());
        }
        try {
            Enqueued enqueued = queue.submit(job);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("id", enqueued.id());
            answer.put("existing", enqueued.matchedExisting());
            queue.unhandledHint(job.queue(), job.type())
                    .ifPresent(hint -> answer.put("warning", hint)); // enqueued all the same
            return Reply.json(enqueued.matchedExisting() ? 200 : 201, answer)
                    .with("Location", "/api/jobs/" + enqueued.id());
        } catch (PayloadTooLargeException e) {
            return error(413, e.getMessage());
        } catch (IllegalArgumentException e) { // the queue's own checks of what it is given
            return error(400, e.getMessage());
        }
    }

    /** The most a body may hold: the largest payload the queue takes and room for the fields around it. */
    private int maxBody() {
        return (int) Math.min(Integer.MAX_VALUE - 8, (long) queue.maxPayloadBytes() + ENVELOPE_BYTES);
    }

    /** {@code application/json}, in any case, with no parameter but a UTF-8 charset (JSON is UTF-8). */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String[] parts = contentType.split(";");
        if (!parts[0].trim().equalsIgnoreCase("application/json")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim().toLowerCase(Locale.ROOT).replace("\"", "");
            if (!parameter.isEmpty() && !parameter.equals("charset=utf-8")) {
                return false;
            }
        }
        return true;
    }

    private Reply show(Request request, Access.Caller caller, Matcher path) throws SQLException {
        long id = id(path);
        Optional<Map<String, Object>> job = JobJson.detail(queue, id);
        return job.isPresent() ? Reply.json(200, job.get()) : notFound(id);
    }

    private static Reply notAJobId(Request request, Access.Caller caller, Matcher path) {
        return error(
                400,
                "'" + ControlCharacters.oneLine(path.group(1)) + "' is not a job id: ids are positive whole numbers"
                        + " (as GET /api/jobs answers them)");
    }

    static Reply notFound(long id) {
        return error(404, "no job " + id + " (" + RetentionNote.GONE + ")");
    }

    static Reply error(int status, String message) {
        return Reply.json(status, Map.of("error", message));
    }
}
