package dev.steadfast.queue.internal.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.queue.JobAttempt;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code sf_job.attempt_log}: one JSON object per line, written by the statements that record outcomes. */
final class AttemptLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AttemptLog() {
    }

    static List<JobAttempt> parse(String log) {
        if (log == null || log.isEmpty()) {
            return List.of();
        }
        List<JobAttempt> attempts = new ArrayList<>();
        for (String line : log.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode n = JSON.readTree(line);
                attempts.add(new JobAttempt(n.path("attempt").asInt(), n.hasNonNull("started")
                        ? Instant.ofEpochMilli(n.path("started").asLong()) : null,
                        n.hasNonNull("ms") ? Duration.ofMillis(n.path("ms").asLong()) : null,
                        text(n, "worker"), text(n, "outcome"), text(n, "error")));
            } catch (JsonProcessingException e) {
                // the log keeps its tail: its first line may have been cut; the others stand on their own
            }
        }
        return attempts;
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.path(field).asText() : null;
    }
}
