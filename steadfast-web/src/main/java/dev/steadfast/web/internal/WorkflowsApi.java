package dev.steadfast.web.internal;

import dev.steadfast.queue.EnqueuedWorkflow;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.PayloadTooLargeException;
import dev.steadfast.queue.WorkflowRequest;
import dev.steadfast.queue.WorkflowView;
import dev.steadfast.queue.text.ControlCharacters;
import dev.steadfast.web.WorkflowJson;
import java.io.IOException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * The HTTP API of workflows: {@code POST /api/workflows} enqueues one ({@link WorkflowBody}), {@code GET
 * /api/workflows/{id}} shows it ({@link WorkflowJson#detail}), {@code GET /api/workflows?before=&limit=} lists them
 * newest first, {@code POST /api/workflows/{id}/cancel} and {@code /retry} act on one. Bearer token always.
 */
final class WorkflowsApi {
    private static final String WORKFLOW = "/api/workflows/(\\d{1,18})";
    private static final String NOT_A_WORKFLOW = "/api/workflows/([^/]+)";
    private static final int MAX_LIMIT = 1000;
    /** A workflow's body: as many jobs' payloads as one job's largest, and room around them. */
    private static final int ENVELOPE_BYTES = 1024 * 1024;

    private final JobQueue queue;

    WorkflowsApi(JobQueue queue) {
        this.queue = queue;
    }

    List<Route> routes(boolean readOnly) {
        Route.Action refused =
                (r, c, m) -> JobsApi.error(403, "this server is read-only (serve --read-only): it changes nothing");
        return List.of(
                Route.post("/api/workflows", Route.Guard.API, maxBody(), readOnly ? refused : (r, c, m) -> enqueue(r)),
                Route.get("/api/workflows", Route.Guard.API, (r, c, m) -> list(r)),
                Route.get(WORKFLOW, Route.Guard.API, (r, c, m) -> show(id(m))),
                Route.post(WORKFLOW + "/cancel", Route.Guard.API, readOnly ? refused : (r, c, m) -> cancel(id(m))),
                Route.post(WORKFLOW + "/retry", Route.Guard.API, readOnly ? refused : (r, c, m) -> retry(id(m))),
                Route.get(NOT_A_WORKFLOW, Route.Guard.API, WorkflowsApi::notAnId),
                Route.post(NOT_A_WORKFLOW + "/(?:cancel|retry)", Route.Guard.API, WorkflowsApi::notAnId));
    }

    private int maxBody() {
        return (int) Math.min(Integer.MAX_VALUE - 8, (long) queue.maxPayloadBytes() + ENVELOPE_BYTES);
    }

    private static long id(Matcher path) {
        return Long.parseLong(path.group(1));
    }

    private Reply enqueue(Request request) throws IOException, SQLException {
        if (!JobsApi.isJson(request.header("Content-Type"))) {
            return JobsApi.error(415, "send the workflow as JSON (Content-Type: application/json)");
        }
        try {
            WorkflowRequest workflow = WorkflowBody.read(request.body(maxBody()));
            EnqueuedWorkflow enqueued = queue.workflows().enqueue(workflow);
            return Reply.json(201, WorkflowJson.enqueued(enqueued)).with("Location", "/api/workflows/" + enqueued.id());
        } catch (PayloadTooLargeException e) {
            return JobsApi.error(413, e.getMessage());
        } catch (IllegalArgumentException e) { // the body's mistakes, cycles, unknown steps, the queue's own checks
            return JobsApi.error(400, e.getMessage());
        }
    }

    private Reply show(long id) throws SQLException {
        Optional<WorkflowView> found = queue.workflows().find(id);
        return found.isPresent() ? Reply.json(200, WorkflowJson.detail(found.get())) : notFound(id);
    }

    private Reply list(Request request) throws SQLException {
        String limitText = request.param("limit");
        String beforeText = request.param("before");
        int limit;
        Long before;
        try {
            limit = limitText == null ? 50 : Integer.parseInt(limitText.trim());
            before = beforeText == null ? null : Long.parseLong(beforeText.trim());
        } catch (NumberFormatException e) {
            return JobsApi.error(400, "limit (1 to " + MAX_LIMIT + ") and before (a workflow id) are whole numbers");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            return JobsApi.error(400, "limit: a whole number from 1 to " + MAX_LIMIT + ", got " + limit);
        }
        List<WorkflowView> page = queue.workflows().list(before, limit);
        Long next = page.size() == limit ? page.get(page.size() - 1).id() : null;
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("workflows", page.stream().map(WorkflowJson::summary).toList());
        answer.put("next", next); // pass as ?before= for the next page; null on the last
        return Reply.json(200, answer);
    }

    private Reply cancel(long id) throws SQLException {
        Optional<Integer> n = queue.workflows().cancel(id);
        return n.isPresent() ? Reply.json(200, Map.of("id", id, "cancelled", n.get())) : notFound(id);
    }

    private Reply retry(long id) throws SQLException {
        Optional<Integer> n = queue.workflows().retry(id);
        return n.isPresent() ? Reply.json(200, Map.of("id", id, "retried", n.get())) : notFound(id);
    }

    private static Reply notFound(long id) {
        return JobsApi.error(404, "no workflow " + id);
    }

    private static Reply notAnId(Request request, Access.Caller caller, Matcher path) {
        return JobsApi.error(
                400,
                "'" + ControlCharacters.oneLine(path.group(1)) + "' is not a workflow id: ids are positive whole"
                        + " numbers");
    }
}
