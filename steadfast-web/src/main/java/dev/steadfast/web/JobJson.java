package dev.steadfast.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import dev.steadfast.queue.FailedJob;
import dev.steadfast.queue.JobAttempt;
import dev.steadfast.queue.JobLog;
import dev.steadfast.queue.JobOutput;
import dev.steadfast.queue.JobProgress;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.JobView;
import dev.steadfast.queue.text.Redactor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A job as JSON, the one shape of a job everywhere: {@code jobs show --json} and {@code GET /api/jobs/{id}} write
 * {@link #detail}, {@code jobs list --json} and the items of {@code GET /api/jobs} write {@link #summary} (the same
 * fields without the heavy ones: payload, history, stack trace, output). Values are plain maps, lists, strings and numbers
 * (times as ISO-8601 text), so any {@code ObjectMapper} writes them alike; stored text is masked by the process's
 * {@link Redactor}, as the dashboard masks it. The payload is written as the JSON value it is, copied token by token
 * (no tree of a payload of megabytes is built); only a stored payload that is not one JSON value (a row written by
 * hand, or masking that left text that is no JSON) is written as a string.
 */
public final class JobJson {
    /** The fields of a list item, in order; {@link #detail} adds {@link #HEAVY}. */
    public static final List<String> SUMMARY = List.of(
            "id",
            "state",
            "queue",
            "type",
            "priority",
            "attempts",
            "max_attempts",
            "run_at",
            "created_at",
            "finished_at",
            "unique_key",
            "worker",
            "last_error");
    /** What a list item leaves out. */
    public static final List<String> HEAVY =
            List.of("payload", "history", "stack_trace", "output", "result", "progress", "log");
    /** The fields of a job's whole view, in order. */
    public static final List<String> FIELDS =
            Stream.concat(SUMMARY.stream(), HEAVY.stream()).toList();

    /** Stored payloads were accepted when enqueued: no limit of a request's parser applies when they are read back. */
    private static final JsonFactory PARSER = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(Integer.MAX_VALUE)
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNumberLength(Integer.MAX_VALUE)
                    .maxDocumentLength(-1)
                    .maxTokenCount(-1)
                    .maxNameLength(Integer.MAX_VALUE)
                    .build())
            .build();

    private JobJson() {}

    /** A job as lists show it (its last error is the list's first 500 characters of it). */
    public static Map<String, Object> summary(JobView j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", j.id());
        m.put("state", j.status().text());
        m.put("queue", masked(j.queue()));
        m.put("type", masked(j.type()));
        m.put("priority", j.priority());
        m.put("attempts", j.attempts());
        m.put("max_attempts", j.maxAttempts());
        m.put("run_at", time(j.runAt()));
        m.put("created_at", time(j.createdAt()));
        m.put("finished_at", time(j.finishedAt()));
        m.put("unique_key", masked(j.uniqueKey()));
        m.put("worker", masked(j.leaseOwner()));
        m.put("last_error", masked(j.lastError()));
        return m;
    }

    /** One job with everything known of it; empty when there is no such job (any more). */
    public static Optional<Map<String, Object>> detail(JobQueue queue, long id) throws SQLException {
        Optional<JobView> job = queue.browser().job(id);
        if (job.isEmpty()) {
            return Optional.empty();
        }
        // the failure's stack trace; its payload is the job's, read above
        Optional<FailedJob> failure = queue.browser().failure(id);
        List<JobOutput> outputs = queue.browser().outputs(id); // what a command printed (work --exec)
        Map<String, Object> m =
                detail(job.get(), failure.map(FailedJob::stackTrace).orElse(null), outputs);
        m.putAll(said(
                queue.browser().result(id).orElse(null),
                queue.browser().progress(id).orElse(null),
                queue.browser().logs(id)));
        return Optional.of(m);
    }

    /**
     * What a job's handler left besides its outcome: {@code result} (the JSON value it returned, masked; null without
     * one), {@code progress} ({@code fraction}, {@code message}, {@code updated_at}; null when it reported none) and
     * {@code log} (per attempt: {@code attempt}, {@code text} masked, {@code bytes} logged in all, {@code updated_at}).
     */
    static Map<String, Object> said(String result, JobProgress progress, List<JobLog> logs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("result", payload(result));
        if (progress == null) {
            m.put("progress", null);
        } else {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("fraction", progress.fraction());
            p.put("message", masked(progress.message()));
            p.put("updated_at", time(progress.updatedAt()));
            m.put("progress", p);
        }
        m.put("log", logs.stream().map(JobJson::log).toList());
        return m;
    }

    private static Map<String, Object> log(JobLog l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("attempt", l.attempt());
        m.put("text", masked(l.text()));
        m.put("bytes", l.bytes());
        m.put("updated_at", time(l.updatedAt()));
        return m;
    }

    /** A job's whole view: {@link #summary} and its payload, attempt history, stack trace (null unless failed), output. */
    static Map<String, Object> detail(JobView j, String stackTrace, List<JobOutput> outputs) {
        Map<String, Object> m = summary(j);
        m.put("payload", payload(j.payload()));
        m.put("history", j.history().stream().map(JobJson::attempt).toList());
        m.put("stack_trace", masked(stackTrace));
        m.put("output", outputs.stream().map(JobJson::output).toList());
        return m;
    }

    /** The stored payload as its JSON value, masked; a string when it is not one JSON value (null stays null). */
    public static Object payload(String stored) {
        if (stored == null) {
            return null;
        }
        String text = Redactor.process().redact(stored);
        return isOneValue(text) ? new PayloadValue(text) : text;
    }

    private static Map<String, Object> attempt(JobAttempt a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("attempt", a.number());
        m.put("started_at", time(a.startedAt()));
        m.put("duration_ms", a.duration() == null ? null : a.duration().toMillis());
        m.put("worker", masked(a.worker()));
        m.put("outcome", a.outcome());
        m.put("error", masked(a.error()));
        return m;
    }

    private static Map<String, Object> output(JobOutput o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("attempt", o.attempt());
        m.put("exit_status", o.exitStatus());
        m.put("stdout", masked(o.stdout()));
        m.put("stderr", masked(o.stderr()));
        m.put("stdout_bytes", o.stdoutBytes());
        m.put("stderr_bytes", o.stderrBytes());
        return m;
    }

    private static String masked(String text) {
        return text == null ? null : Redactor.process().redact(text);
    }

    private static String time(Instant at) {
        return at == null ? null : at.toString();
    }

    private static boolean isOneValue(String text) {
        try (JsonParser p = PARSER.createParser(text)) {
            if (p.nextToken() == null) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (JsonProcessingException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("reading text in memory", e);
        }
    }

    /**
     * A payload known to be one JSON value, written into the document being generated token by token (numbers as
     * stored, never made doubles), with the generator's own escapes.
     */
    private static final class PayloadValue implements JsonSerializable {
        private final String json;

        PayloadValue(String json) {
            this.json = json;
        }

        @Override
        public void serialize(JsonGenerator out, SerializerProvider serializers) throws IOException {
            try (JsonParser p = PARSER.createParser(json)) {
                int depth = 0;
                p.nextToken();
                do {
                    JsonToken token = p.currentToken();
                    if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                        depth++;
                    } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                        depth--;
                    }
                    if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                        out.writeNumber(p.getText());
                    } else {
                        out.copyCurrentEvent(p);
                    }
                } while (depth > 0 && p.nextToken() != null);
            }
        }

        @Override
        public void serializeWithType(JsonGenerator out, SerializerProvider serializers, TypeSerializer typeSer)
                throws IOException {
            serialize(out, serializers);
        }

        @Override
        public String toString() {
            return json;
        }
    }
}
