package dev.steadfast.web;

import dev.steadfast.queue.BatchView;
import dev.steadfast.queue.text.Redactor;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A batch as JSON, the one shape of a batch everywhere: {@code batch show --json}, the items of {@code batch list
 * --json}, {@code GET /api/batches/{id}} and the items of {@code GET /api/batches}. Its first fields are a contract:
 * {@code id, state, total, pending, running, succeeded, failed, cancelled, callbacks} (callbacks: {@code on_success},
 * {@code on_complete}, {@code on_failure}, each the id of the job it enqueued last, or null); then {@code description}
 * (masked by the process's {@link Redactor}), {@code parent_id}, {@code stand_in_job_id}, {@code created_at},
 * {@code finished_at} (ISO-8601 or null).
 */
public final class BatchJson {
    /** The fields, in order. */
    public static final List<String> FIELDS = List.of(
            "id",
            "state",
            "total",
            "pending",
            "running",
            "succeeded",
            "failed",
            "cancelled",
            "callbacks",
            "description",
            "parent_id",
            "stand_in_job_id",
            "created_at",
            "finished_at");

    private BatchJson() {}

    /** The batch with its progress and callbacks. */
    public static Map<String, Object> of(BatchView b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", b.id());
        m.put("state", b.state().text());
        m.put("total", b.total());
        m.put("pending", b.pending());
        m.put("running", b.running());
        m.put("succeeded", b.succeeded());
        m.put("failed", b.failed());
        m.put("cancelled", b.cancelled());
        Map<String, Object> callbacks = new LinkedHashMap<>();
        callbacks.put("on_success", b.onSuccessJob());
        callbacks.put("on_complete", b.onCompleteJob());
        callbacks.put("on_failure", b.onFailureJob());
        m.put("callbacks", callbacks);
        m.put("description", b.description() == null ? null : Redactor.process().redact(b.description()));
        m.put("parent_id", b.parentBatchId());
        m.put("stand_in_job_id", b.standInJobId());
        m.put("created_at", time(b.createdAt()));
        m.put("finished_at", time(b.finishedAt()));
        return m;
    }

    private static String time(Instant at) {
        return at == null ? null : at.toString();
    }
}
