package dev.steadfast.cli.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.cli.DurationConverter;
import dev.steadfast.queue.Enqueued;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.JobRequest;
import dev.steadfast.queue.JobView;
import dev.steadfast.queue.PayloadTooLargeException;

import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * The HTTP API for producers in any language: {@code POST /api/jobs} enqueues (answering the id, and whether a live
 * job already held the unique key), {@code GET /api/jobs/{id}} tells a job's state, {@code GET /api/openapi.json}
 * describes both. A Bearer token always (the {@link Route.Guard#API} guard); bodies bounded; every mistake a 400 with
 * a JSON {@code error}.
 */
final class JobsApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("type", "payload", "queue", "priority", "delay", "run_at", "max_attempts",
            "unique_key", "timeout");
    /** Room for the fields around the largest payload the queue accepts. */
    private static final int ENVELOPE_BYTES = 64 * 1024;

    private final JobQueue queue;
    private final byte[] openApi;

    JobsApi(JobQueue queue, byte[] openApi) {
        this.queue = queue;
        this.openApi = openApi;
    }

    /** @param readOnly refuse enqueues (a read-only dashboard's database user may not write) */
    List<Route> routes(boolean readOnly) {
        return List.of(
                Route.get("/api/openapi.json", Route.Guard.PUBLIC, (r, c, m) -> new Reply(200, "application/json", openApi, Map.of())),
                Route.post("/api/jobs", Route.Guard.API, readOnly
                        ? (r, c, m) -> error(403, "this server is read-only (serve --read-only): it enqueues nothing")
                        : (r, c, m) -> enqueue(r)),
                Route.get("/api/jobs/(\\d{1,18})", Route.Guard.API, this::show));
    }

    private Reply enqueue(Request request) throws java.io.IOException, SQLException {
        String type = request.header("Content-Type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            return error(415, "send the job as JSON (Content-Type: application/json)");
        }
        JsonNode body;
        try {
            body = JSON.readTree(request.body(queue.maxPayloadBytes() + ENVELOPE_BYTES));
        } catch (JsonProcessingException e) {
            return error(400, "the body is not valid JSON: " + e.getOriginalMessage());
        }
        if (body == null || !body.isObject()) {
            return error(400, "the body must be a JSON object like {\"type\": \"email\", \"payload\": {...}}");
        }
        for (java.util.Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                return error(400, "unknown field '" + name + "' (known: " + String.join(", ", new java.util.TreeSet<>(FIELDS)) + ")");
            }
        }
        JobRequest job;
        try {
            job = request(body);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return error(400, e.getMessage());
        }
        try {
            Enqueued enqueued = queue.submit(job);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("id", enqueued.id());
            answer.put("existing", enqueued.matchedExisting());
            return Reply.json(enqueued.matchedExisting() ? 200 : 201, answer).with("Location", "/api/jobs/" + enqueued.id());
        } catch (PayloadTooLargeException e) {
            return error(413, e.getMessage());
        }
    }

    private static JobRequest request(JsonNode body) {
        JsonNode type = body.path("type");
        if (!type.isTextual()) {
            throw new IllegalArgumentException("'type' is required: a string naming the job's type");
        }
        JobRequest.Builder job = JobRequest.of(type.asText());
        JsonNode payload = body.path("payload");
        job.payloadJson(payload.isMissingNode() ? "{}" : payload.toString());
        if (body.has("queue")) {
            job.queue(text(body, "queue"));
        }
        if (body.has("priority")) {
            job.priority(integer(body, "priority"));
        }
        if (body.has("max_attempts")) {
            job.maxAttempts(integer(body, "max_attempts"));
        }
        if (body.has("unique_key")) {
            job.uniqueKey(text(body, "unique_key"));
        }
        if (body.has("delay") && body.has("run_at")) {
            throw new IllegalArgumentException("give 'delay' or 'run_at', not both");
        }
        if (body.has("delay")) {
            job.delay(duration(body, "delay"));
        }
        if (body.has("run_at")) {
            job.runAt(Instant.parse(text(body, "run_at")));
        }
        if (body.has("timeout")) {
            job.timeout(duration(body, "timeout"));
        }
        return job.build();
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.path(field);
        if (!value.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' must be a string");
        }
        return value.asText();
    }

    private static java.time.Duration duration(JsonNode body, String field) {
        try {
            return DurationConverter.parse(text(body, field));
        } catch (picocli.CommandLine.TypeConversionException e) {
            throw new IllegalArgumentException("'" + field + "': " + e.getMessage(), e);
        }
    }

    private static int integer(JsonNode body, String field) {
        JsonNode value = body.path(field);
        if (!value.isInt()) {
            throw new IllegalArgumentException("'" + field + "' must be a whole number");
        }
        return value.asInt();
    }

    private Reply show(Request request, Access.Caller caller, Matcher path) throws SQLException {
        long id = Long.parseLong(path.group(1));
        Optional<JobView> found = queue.job(id);
        if (found.isEmpty()) {
            return error(404, "no job " + id + " (succeeded jobs are purged after their retention period)");
        }
        JobView job = found.get();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", job.id());
        answer.put("type", job.type());
        answer.put("queue", job.queue());
        answer.put("state", job.state());
        answer.put("attempts", job.attempts());
        answer.put("max_attempts", job.maxAttempts());
        answer.put("run_at", String.valueOf(job.runAt()));
        answer.put("created_at", String.valueOf(job.createdAt()));
        answer.put("finished_at", job.finishedAt() == null ? null : job.finishedAt().toString());
        return Reply.json(200, answer);
    }

    private static Reply error(int status, String message) {
        return Reply.json(status, Map.of("error", message));
    }
}
