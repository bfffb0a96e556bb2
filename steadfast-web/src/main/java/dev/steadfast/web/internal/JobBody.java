package dev.steadfast.web.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.steadfast.queue.JobRequest;
import dev.steadfast.web.DurationText;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the body of {@code POST /api/jobs} into a {@link JobRequest} with Jackson's streaming parser: no tree of the
 * payload is ever built (a tree costs tens of bytes of heap per byte sent); the payload is copied token by token into
 * its JSON text, so a body costs about its own size again. Refused, each with a message for a 400: anything but one
 * JSON object (trailing data included), a duplicate or unknown field, a number that is not finite, nesting deeper
 * than {@link #MAX_DEPTH}, more than {@link #MAX_TOKENS} tokens, and times the database cannot store.
 */
final class JobBody {
    static final int MAX_DEPTH = 256;
    static final long MAX_TOKENS = 4_000_000;
    /** The longest delay or timeout, and the span of run times: what the queue takes (a {@code TIMESTAMP} holds). */
    static final Duration LONGEST = JobRequest.LONGEST_DELAY;

    static final Instant EARLIEST = JobRequest.EARLIEST_RUN_AT;
    static final Instant LATEST = JobRequest.LATEST_RUN_AT;
    static final int MAX_UNIQUE_KEY = 191;
    /** The most jobs one job may run after. */
    static final int MAX_AFTER = 10_000;

    private static final Set<String> FIELDS = Set.of(
            "type",
            "payload",
            "queue",
            "priority",
            "delay",
            "run_at",
            "max_attempts",
            "unique_key",
            "timeout",
            "concurrency_key",
            "concurrency_limit",
            "after");
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxTokenCount(MAX_TOKENS)
                    .build())
            .build();

    private JobBody() {}

    /**
     * The job a body asks for.
     *
     * @throws IllegalArgumentException what is wrong with it, in words for the caller
     */
    static JobRequest read(byte[] body) {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException(
                        "the body must be a JSON object like {\"type\": \"email\", \"payload\": {...}}");
            }
            JobRequest request = object(p, body.length);
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("the body must hold one JSON object and nothing after it");
            }
            return request;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading a body in memory", e);
        }
    }

    /** Reads a field a caller adds to a job's ({@link #readObject}). */
    interface ExtraField {
        void read(String name, JsonParser p) throws IOException;
    }

    /** A parser over a body with this reader's limits (a workflow's body holds jobs). */
    static JsonParser parser(byte[] body) throws IOException {
        return JSON.createParser(body);
    }

    /**
     * The job of the JSON object the parser is at (its {@code START_OBJECT}), as {@code POST /api/jobs} takes one; the
     * parser ends on its {@code END_OBJECT}. {@code size}: the body's, to size the payload's copy.
     */
    static JobRequest object(JsonParser p, int size) throws IOException {
        return readObject(p, size, Set.of(), (name, parser) -> {});
    }

    /**
     * The job of the object the parser is at (its {@code START_OBJECT}); the parser ends on its {@code END_OBJECT}.
     * Fields named in {@code extras} go to {@code extra} (a workflow's step adds its name, and names steps in
     * {@code after}); the others are a job's.
     */
    static JobRequest readObject(JsonParser p, int size, Set<String> extras, ExtraField extra) throws IOException {
        return readObject(p, size, extras, extra, true);
    }

    /**
     * As {@link #readObject(JsonParser, int, Set, ExtraField)}, but null when the object has no job field at all, only
     * {@code extras} (a workflow's step that is a batch).
     */
    static JobRequest readObjectOrNone(JsonParser p, int size, Set<String> extras, ExtraField extra)
            throws IOException {
        return readObject(p, size, extras, extra, false);
    }

    private static JobRequest readObject(JsonParser p, int size, Set<String> extras, ExtraField extra, boolean required)
            throws IOException {
        boolean any = false;
        Fields fields = new Fields();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            if (extras.contains(name)) {
                extra.read(name, p);
                continue;
            }
            if (!FIELDS.contains(name)) {
                Set<String> known = new TreeSet<>(FIELDS);
                known.addAll(extras);
                throw new IllegalArgumentException(
                        "unknown field '" + name + "' (known: " + String.join(", ", known) + ")");
            }
            fields.read(name, p, size);
            any = true;
        }
        return any || required ? fields.request() : null;
    }

    /** The fields as they are read, each checked as it comes. */
    private static final class Fields {
        private String type;
        private String payload = "{}";
        private String queue;
        private Integer priority;
        private Integer maxAttempts;
        private String uniqueKey;
        private Duration delay;
        private Duration timeout;
        private Instant runAt;
        private String concurrencyKey;
        private Integer concurrencyLimit;
        private long[] after;

        void read(String name, JsonParser p, int size) throws IOException {
            switch (name) {
                case "type" -> type = text(p, name);
                case "payload" -> payload = copy(p, size);
                case "queue" -> queue = text(p, name);
                case "priority" -> priority = integer(p, name);
                case "max_attempts" -> {
                    maxAttempts = integer(p, name);
                    if (maxAttempts < 1) { // said here, in the API's name for it (the builder says maxAttempts)
                        throw new IllegalArgumentException("'max_attempts' must be at least 1, got " + maxAttempts);
                    }
                }
                case "unique_key" -> {
                    uniqueKey = text(p, name);
                    if (uniqueKey.length() > MAX_UNIQUE_KEY) {
                        throw new IllegalArgumentException("'unique_key' is at most " + MAX_UNIQUE_KEY + " characters");
                    }
                }
                case "delay" -> delay = duration(p, name);
                case "timeout" -> timeout = duration(p, name);
                case "run_at" -> runAt = instant(p, name);
                case "concurrency_key" -> concurrencyKey = text(p, name);
                case "concurrency_limit" -> concurrencyLimit = integer(p, name);
                case "after" -> after = ids(p, name);
                default -> throw new IllegalStateException("a known field without a reader: " + name);
            }
        }

        /** The request; the builder's own checks (IllegalArgumentException) apply as for every producer. */
        JobRequest request() {
            if (type == null) {
                throw new IllegalArgumentException("'type' is required: a string naming the job's type");
            }
            if ((concurrencyKey == null)
                    != (concurrencyLimit == null)) { // as enqueue --concurrency-key/--concurrency-limit
                throw new IllegalArgumentException("'concurrency_key' and 'concurrency_limit' go together");
            }
            if (delay != null && runAt != null) {
                throw new IllegalArgumentException("give 'delay' or 'run_at', not both");
            }
            JobRequest.Builder job = JobRequest.of(type).payloadJson(payload);
            if (queue != null) {
                job.queue(queue);
            }
            if (priority != null) {
                job.priority(priority);
            }
            if (maxAttempts != null) {
                job.maxAttempts(maxAttempts);
            }
            if (uniqueKey != null) {
                job.uniqueKey(uniqueKey);
            }
            if (delay != null) {
                job.delay(delay);
            }
            if (runAt != null) {
                job.runAt(runAt);
            }
            if (timeout != null) {
                job.timeout(timeout);
            }
            if (concurrencyKey != null) {
                job.concurrencyLimit(concurrencyKey, concurrencyLimit);
            }
            if (after != null) {
                job.after(after);
            }
            return job.build();
        }
    }

    /** The value at the parser as compact JSON text, refusing numbers that are not finite; the parser ends on its last token. */
    private static String copy(JsonParser p, int size) throws IOException {
        StringWriter out = new StringWriter(Math.min(size, 1 << 16));
        try (JsonGenerator g = JSON.createGenerator(out)) {
            int depth = 0;
            do {
                JsonToken token = p.currentToken();
                switch (token) {
                    case START_OBJECT, START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> depth--;
                    case VALUE_NUMBER_FLOAT -> {
                        if (!Double.isFinite(p.getDoubleValue())) {
                            throw new IllegalArgumentException(
                                    "'payload' holds a number too large to be stored: " + abbreviated(p.getText()));
                        }
                    }
                    default -> {}
                }
                if (token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_NUMBER_INT) {
                    g.writeNumber(p.getText()); // the number as sent, not as a double made of it
                } else {
                    g.copyCurrentEvent(p);
                }
            } while (depth > 0 && p.nextToken() != null);
        }
        return out.toString();
    }

    private static String abbreviated(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    private static String text(JsonParser p, String field) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException("'" + field + "' must be a string");
        }
        return p.getText();
    }

    /** An array of job ids (positive whole numbers), at most {@link #MAX_AFTER}. */
    private static long[] ids(JsonParser p, String field) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("'" + field + "' must be an array of job ids, like [12, 13]");
        }
        java.util.List<Long> ids = new java.util.ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT
                    || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    || p.getLongValue() < 1) {
                throw new IllegalArgumentException("'" + field + "' must be an array of job ids (positive whole"
                        + " numbers), got " + abbreviated(p.getText()));
            }
            if (ids.size() == MAX_AFTER) {
                throw new IllegalArgumentException("'" + field + "' names at most " + MAX_AFTER + " jobs");
            }
            ids.add(p.getLongValue());
        }
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    private static int integer(JsonParser p, String field) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
            throw new IllegalArgumentException("'" + field + "' must be a whole number");
        }
        return p.getIntValue();
    }

    /** A duration as text ({@code "5m"}) or a number of seconds ({@code 300}, {@code 0.5}). */
    private static Duration duration(JsonParser p, String field) throws IOException {
        if (!p.currentToken().isNumeric() && p.currentToken() != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException("'" + field + "' must be a number of seconds or a duration like \"5m\"");
        }
        Duration d;
        try {
            d = p.currentToken().isNumeric() ? seconds(p, field) : DurationText.parse(text(p, field));
        } catch (DurationText.NotADuration | ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException(
                    "'" + field + "' is not a duration (a number of seconds, or text: 500ms, 30s, 5m, 1h, 2d)", e);
        }
        if (d.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException(
                    "'" + field + "' is at most " + LONGEST.toDays() + "d (" + LONGEST.toSeconds() + " seconds)");
        }
        return d;
    }

    /** A number of seconds, to the millisecond; a longer one than {@link #LONGEST} is refused by the caller. */
    private static Duration seconds(JsonParser p, String field) throws IOException {
        BigDecimal seconds = p.getDecimalValue();
        if (seconds.signum() < 0) {
            throw new IllegalArgumentException("'" + field + "' must not be negative, got " + abbreviated(p.getText()));
        }
        if (seconds.compareTo(BigDecimal.valueOf(LONGEST.toSeconds() + 1)) > 0) {
            return LONGEST.plusSeconds(1);
        }
        return Duration.ofMillis(
                seconds.movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValueExact());
    }

    private static Instant instant(JsonParser p, String field) throws IOException {
        Instant at;
        try {
            at = Instant.parse(text(p, field));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "'" + field + "' could not be parsed as a time like 2030-01-01T09:00:00Z", e);
        }
        if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
            throw new IllegalArgumentException("'" + field + "' must lie between " + EARLIEST + " and " + LATEST);
        }
        return at;
    }
}
