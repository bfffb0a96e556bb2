package dev.steadfast.web;

import dev.steadfast.queue.EnqueuedWorkflow;
import dev.steadfast.queue.WorkflowStep;
import dev.steadfast.queue.WorkflowView;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A workflow as JSON, the one shape everywhere: {@code workflow show --json} and {@code GET /api/workflows/{id}} write
 * {@link #detail}, {@code workflow list --json} and {@code GET /api/workflows} write {@link #summary}, an enqueue
 * answers {@link #enqueued}. Plain maps, lists, strings and numbers (times as ISO-8601 text).
 */
public final class WorkflowJson {
    private WorkflowJson() {}

    /** {@code {"id", "steps": {"a": job id, ...}}}, and {@code "batches": {"step": batch id}} for steps that are batches. */
    public static Map<String, Object> enqueued(EnqueuedWorkflow workflow) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", workflow.id());
        m.put("steps", new LinkedHashMap<>(workflow.steps()));
        if (!workflow.batches().isEmpty()) {
            m.put("batches", new LinkedHashMap<>(workflow.batches()));
        }
        return m;
    }

    /**
     * {@code {"id", "name", "state", "on_failure", "step_count", "counts": {status: n}, "created_at", "finished_at"}}.
     */
    public static Map<String, Object> summary(WorkflowView w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", w.id());
        m.put("name", w.name());
        m.put("state", w.state().text());
        m.put("on_failure", w.onFailure().text());
        m.put("step_count", w.stepCount());
        m.put("counts", new TreeMap<>(w.counts()));
        m.put("created_at", text(w.createdAt()));
        m.put("finished_at", text(w.finishedAt()));
        return m;
    }

    /**
     * {@link #summary} and {@code "steps": {"a": {"job_id", "state", "after": [names], "result"}}}, parents first; a step
     * that is a batch adds {@code "batch"} (as {@link BatchJson#of}: its id and progress).
     */
    public static Map<String, Object> detail(WorkflowView w) {
        Map<String, Object> m = summary(w);
        Map<String, Object> steps = new LinkedHashMap<>();
        for (WorkflowStep s : w.steps()) {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("job_id", s.jobId());
            step.put("state", s.status().text());
            step.put("after", s.after());
            step.put("result", JobJson.payload(s.result())); // its JSON value, masked as a job's result is
            if (s.batch() != null) {
                step.put("batch", BatchJson.of(s.batch()));
            }
            steps.put(s.name(), step);
        }
        m.put("steps", steps);
        return m;
    }

    private static String text(java.time.Instant t) {
        return t == null ? null : t.toString();
    }
}
