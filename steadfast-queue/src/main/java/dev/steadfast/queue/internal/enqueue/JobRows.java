package dev.steadfast.queue.internal.enqueue;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.queue.JobRequest;
import dev.steadfast.queue.PayloadTooLargeException;
import dev.steadfast.queue.internal.store.NewJob;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Job requests as rows to insert: the payload serialized (or, given as JSON text, checked and compacted) and refused
 * above the queue's size limit before anything is written.
 */
public final class JobRows {
    private final ObjectMapper mapper;
    private final int maxPayloadBytes;

    public JobRows(ObjectMapper mapper, int maxPayloadBytes) {
        this.mapper = mapper;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /** The row a request enqueues. */
    public NewJob row(JobRequest request) {
        return new NewJob(
                request.queue(),
                request.type(),
                payloadJson(request),
                request.priority(),
                request.delay() == null ? Duration.ZERO : request.delay(),
                request.runAt(),
                request.maxAttempts(),
                request.uniqueKey(),
                request.timeout(),
                request.concurrencyKey(),
                request.concurrencyLimit());
    }

    /** The job a schedule makes at each tick: due at once, without unique key or concurrency limit. */
    public NewJob template(JobRequest job) {
        return new NewJob(
                job.queue(),
                job.type(),
                payloadJson(job),
                job.priority(),
                Duration.ZERO,
                null,
                job.maxAttempts(),
                null,
                job.timeout());
    }

    private String payloadJson(JobRequest request) {
        try {
            if (request.payloadJson() != null) {
                checkSize(
                        request.type(),
                        request.payloadJson()); // before parsing: parsing a huge text costs its size again
                return checkSize(request.type(), compact(request.payloadJson()));
            }
            return request.payload() == null
                    ? "{}"
                    : checkSize(request.type(), mapper.writeValueAsString(request.payload()));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "payload of a '" + request.type() + "' job is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("compacting a payload in memory", e);
        }
    }

    /**
     * The JSON text compacted token by token: checked like a parse, without the tree a parse builds (tens of bytes
     * of heap per byte of text, so a payload at the size limit could exhaust the heap). Refuses trailing text.
     */
    private String compact(String json) throws IOException {
        StringWriter out = new StringWriter(Math.min(json.length(), 1 << 16));
        try (JsonParser p = mapper.getFactory().createParser(json);
                JsonGenerator g = mapper.getFactory().createGenerator(out)) {
            if (p.nextToken() == null) {
                throw new IllegalArgumentException("payload is empty: it must be JSON");
            }
            g.copyCurrentStructure(p);
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("payload has text after its JSON value");
            }
        }
        return out.toString();
    }

    private String checkSize(String type, String json) {
        if ((long) json.length() * 3 > maxPayloadBytes) { // below that, even all-CJK text fits
            long bytes = json.getBytes(StandardCharsets.UTF_8).length; // only for text this large
            if (bytes > maxPayloadBytes) {
                throw new PayloadTooLargeException(type, bytes, maxPayloadBytes);
            }
        }
        return json;
    }
}
