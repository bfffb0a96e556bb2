package dev.steadfast.queue.internal.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.queue.JobAttempt;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code sf_job.attempt_log}, the attempt history: one JSON object per line, appended by the statement that takes a
 * job out of running ({@link LeavingRunning}), read for a job's view.
 */
final class AttemptLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AttemptLog() {}

    /**
     * The SET clause that appends the attempt just finished to {@code attempt_log}, as one JSON line (number,
     * start in epoch ms, duration, worker, outcome and, with {@code withError}, a parameter for the error's head).
     * It must come first in the SET list: later assignments clear the lease owner it reads. The log keeps its
     * last 16,000 characters; a line cut at its start is skipped when read.
     */
    static String append(String outcome, boolean withError) {
        return "attempt_log = RIGHT(CONCAT(COALESCE(attempt_log, ''), JSON_OBJECT('attempt', attempts,"
                + " 'started', ROUND(UNIX_TIMESTAMP(attempt_started_at) * 1000),"
                + " 'ms', TIMESTAMPDIFF(MICROSECOND, attempt_started_at, NOW(3)) DIV 1000, 'worker', lease_owner,"
                + " 'outcome', '" + outcome + "'" + (withError ? ", 'error', LEFT(?, 300)" : "")
                + "), CHAR(10 USING utf8mb4)), 16000)";
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
                attempts.add(new JobAttempt(
                        n.path("attempt").asInt(),
                        n.hasNonNull("started")
                                ? Instant.ofEpochMilli(n.path("started").asLong())
                                : null,
                        n.hasNonNull("ms") ? Duration.ofMillis(n.path("ms").asLong()) : null,
                        text(n, "worker"),
                        text(n, "outcome"),
                        text(n, "error")));
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
