package dev.steadfast.web.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.steadfast.queue.BatchEnqueued;
import dev.steadfast.queue.BatchRequest;
import dev.steadfast.queue.BatchView;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.JobRequest;
import dev.steadfast.queue.PayloadTooLargeException;
import dev.steadfast.queue.text.ControlCharacters;
import dev.steadfast.web.BatchJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * Batches over HTTP: {@code POST /api/batches} enqueues one ({@code {"jobs":[job...], "on_success":job,
 * "on_complete":job, "on_failure":job, "description":text}}, each job as {@code POST /api/jobs} takes it) and answers
 * {@code 201 {"id", "jobs":[ids]}}; {@code GET /api/batches/{id}} answers its progress ({@link BatchJson}), {@code GET
 * /api/batches} a page of them newest first; {@code POST /api/batches/{id}/cancel|retry|close} change it. Under the
 * {@code API} guard, as {@link JobsApi}; every mistake a 4xx with a JSON {@code error}.
 */
final class BatchesApi {
    private static final String BATCH = "/api/batches/(\\d{1,18})";
    private static final String NOT_A_BATCH = "/api/batches/([^/]+)";
    private static final List<String> CALLBACKS = List.of("on_success", "on_complete", "on_failure");
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private final JobQueue queue;
    private final int maxBody;

    BatchesApi(JobQueue queue) {
        this.queue = queue;
        // as POST /api/jobs: the largest payload the queue takes and room around it, for the whole batch
        this.maxBody = (int) Math.min(Integer.MAX_VALUE - 8, (long) queue.maxPayloadBytes() + 64 * 1024);
    }

    List<Route> routes(boolean readOnly) {
        Route.Action refused =
                (r, c, m) -> JobsApi.error(403, "this server is read-only (serve --read-only): it changes no batch");
        return List.of(
                Route.post("/api/batches", Route.Guard.API, maxBody, readOnly ? refused : (r, c, m) -> enqueue(r)),
                Route.get("/api/batches", Route.Guard.API, (r, c, m) -> list(r)),
                Route.get(BATCH, Route.Guard.API, (r, c, m) -> show(id(m))),
                Route.post(BATCH + "/cancel", Route.Guard.API, readOnly ? refused : (r, c, m) -> cancel(id(m))),
                Route.post(BATCH + "/retry", Route.Guard.API, readOnly ? refused : (r, c, m) -> retry(id(m))),
                Route.post(BATCH + "/close", Route.Guard.API, readOnly ? refused : (r, c, m) -> close(id(m))),
                Route.get(NOT_A_BATCH, Route.Guard.API, BatchesApi::notABatchId),
                Route.post(NOT_A_BATCH + "/(?:cancel|retry|close)", Route.Guard.API, BatchesApi::notABatchId));
    }

    private static long id(Matcher path) {
        return Long.parseLong(path.group(1));
    }

    private Reply enqueue(Request request) throws IOException, SQLException {
        if (!JobsApi.isJson(request.header("Content-Type"))) {
            return JobsApi.error(415, "send the batch as JSON (Content-Type: application/json)");
        }
        BatchRequest batch;
        try {
            batch = read(request.body(maxBody));
        } catch (IllegalArgumentException e) {
            return JobsApi.error(400, e.getMessage());
        }
        try {
            BatchEnqueued enqueued = queue.batches().enqueue(batch);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("id", enqueued.id());
            answer.put("jobs", enqueued.jobIds());
            return Reply.json(201, answer).with("Location", "/api/batches/" + enqueued.id());
        } catch (PayloadTooLargeException e) {
            return JobsApi.error(413, e.getMessage());
        } catch (IllegalArgumentException e) {
            return JobsApi.error(400, e.getMessage());
        }
    }

    /** The batch a body asks for; an IllegalArgumentException says what is wrong with it. */
    static BatchRequest read(byte[] body) {
        try (JsonParser p = JobBody.parser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException(
                        "the body must be a JSON object like {\"jobs\": [{\"type\": \"row\"}], \"on_complete\": {...}}");
            }
            BatchRequest batch = object(p, body.length);
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("the body must hold one JSON object and nothing after it");
            }
            return batch;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading a body in memory", e);
        }
    }

    /**
     * The batch of the JSON object the parser is at (its {@code START_OBJECT}), as {@code POST /api/batches} takes one
     * (also a workflow's step's {@code "batch"}); the parser ends on its {@code END_OBJECT}.
     */
    static BatchRequest object(JsonParser p, int size) throws IOException {
        BatchRequest batch = BatchRequest.create();
        boolean jobs = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals("jobs")) {
                if (value != JsonToken.START_ARRAY) {
                    throw new IllegalArgumentException("'jobs' must be an array of jobs as POST /api/jobs takes");
                }
                List<JobRequest> members = new ArrayList<>();
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    members.add(job(p, size, "jobs[" + members.size() + "]"));
                }
                if (p.currentToken() != JsonToken.END_ARRAY) {
                    throw new IllegalArgumentException("'jobs' must hold only job objects");
                }
                if (members.isEmpty()) {
                    throw new IllegalArgumentException("'jobs' must hold at least one job");
                }
                batch.addAll(members);
                jobs = true;
            } else if (CALLBACKS.contains(name)) {
                if (value == JsonToken.VALUE_NULL) {
                    continue;
                }
                if (value != JsonToken.START_OBJECT) {
                    throw new IllegalArgumentException("'" + name + "' must be a job object or null");
                }
                JobRequest callback = job(p, size, name);
                switch (name) {
                    case "on_success" -> batch.onSuccess(callback);
                    case "on_complete" -> batch.onComplete(callback);
                    default -> batch.onFailure(callback);
                }
            } else if (name.equals("description")) {
                if (value != JsonToken.VALUE_STRING) {
                    throw new IllegalArgumentException("'description' must be a string");
                }
                batch.description(p.getText());
            } else {
                throw new IllegalArgumentException("unknown field '" + ControlCharacters.oneLine(name)
                        + "' (known: jobs, on_success, on_complete, on_failure, description)");
            }
        }
        if (!jobs) {
            throw new IllegalArgumentException("'jobs' is required: an array of jobs as POST /api/jobs takes");
        }
        return batch;
    }

    private static JobRequest job(JsonParser p, int size, String where) throws IOException {
        try {
            return JobBody.object(p, size);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private Reply show(long id) throws SQLException {
        Optional<BatchView> batch = queue.batches().find(id);
        return batch.isPresent() ? Reply.json(200, BatchJson.of(batch.get())) : notFound(id);
    }

    private Reply list(Request request) throws SQLException {
        for (String name : request.queryParamNames()) {
            if (!name.equals("limit") && !name.equals("before")) {
                return JobsApi.error(
                        400,
                        "unknown query parameter '" + ControlCharacters.oneLine(name)
                                + "': GET /api/batches takes limit, before");
            }
        }
        int limit;
        Long before;
        try {
            limit = request.param("limit") == null
                    ? DEFAULT_LIMIT
                    : Integer.parseInt(request.param("limit").trim());
            before = request.param("before") == null
                    ? null
                    : Long.parseLong(request.param("before").trim());
        } catch (NumberFormatException e) {
            return JobsApi.error(400, "limit and before are whole numbers (before: the 'next' of the previous page)");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            return JobsApi.error(400, "limit: a whole number from 1 to " + MAX_LIMIT + ", got " + limit);
        }
        List<BatchView> page = queue.batches().list(before, limit);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("batches", page.stream().map(BatchJson::of).toList());
        answer.put(
                "next", page.size() < limit ? null : page.get(page.size() - 1).id());
        return Reply.json(200, answer);
    }

    private Reply cancel(long id) throws SQLException {
        if (queue.batches().cancel(id)) {
            return done(id, "cancelled", Map.of());
        }
        return queue.batches().find(id).isPresent()
                ? JobsApi.error(409, "batch " + id + " has ended or is cancelled already: nothing to cancel")
                : notFound(id);
    }

    private Reply retry(long id) throws SQLException {
        if (queue.batches().find(id).isEmpty()) {
            return notFound(id);
        }
        return done(id, "retried", Map.of("retried", queue.batches().retryFailed(id)));
    }

    private Reply close(long id) throws SQLException {
        if (queue.batches().close(id)) {
            return done(id, "closed", Map.of());
        }
        return queue.batches().find(id).isPresent()
                ? JobsApi.error(409, "batch " + id + " is not open: nothing to close")
                : notFound(id);
    }

    private Reply done(long id, String outcome, Map<String, Object> extra) throws SQLException {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", id);
        answer.put("outcome", outcome);
        answer.putAll(extra);
        answer.put("batch", queue.batches().find(id).map(BatchJson::of).orElse(null));
        return Reply.json(200, answer);
    }

    private static Reply notFound(long id) {
        return JobsApi.error(404, "no batch " + id);
    }

    private static Reply notABatchId(Request request, Access.Caller caller, Matcher path) {
        return JobsApi.error(
                400,
                "'" + ControlCharacters.oneLine(path.group(1)) + "' is not a batch id: ids are positive whole numbers"
                        + " (as GET /api/batches answers them)");
    }
}
