package dev.steadfast.web.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a route answers: status, content type, body and extra headers; written out by the {@link Router}. */
public record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String TEXT = "text/plain; charset=utf-8";
    static final String HTML = "text/html; charset=utf-8";

    static Reply html(int status, String page) {
        return new Reply(status, HTML, page.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static Reply text(int status, String text) {
        return new Reply(status, TEXT, text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static Reply json(int status, Object body) {
        try {
            return new Reply(status, "application/json", JSON.writeValueAsBytes(body), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a probe's body is plain maps and strings", e);
        }
    }

    static Reply redirect(String location) {
        return new Reply(303, null, new byte[0], Map.of("Location", location));
    }

    /** This reply with one more header (a header may be repeated only through distinct names here). */
    Reply with(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Reply(status, contentType, body, Map.copyOf(more));
    }
}
