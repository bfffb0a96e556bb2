package dev.steadfast.queue.internal.flow;

import dev.steadfast.queue.WorkflowState;
import java.util.Map;

/** A workflow's state from its steps' counts by shown status (pure: no table is read). */
public final class WorkflowStates {
    private WorkflowStates() {}

    /**
     * Running while a step is pending, scheduled or running; waiting when nothing runs but steps wait (for a failed
     * parent's retry); once every step ended: succeeded when all did, else cancelled when the workflow was cancelled
     * or no step failed, else failed.
     */
    public static WorkflowState of(Map<String, Long> counts, boolean cancelled) {
        long running = n(counts, "pending") + n(counts, "scheduled") + n(counts, "running");
        if (running > 0) {
            return WorkflowState.RUNNING;
        }
        if (n(counts, "waiting") > 0) {
            return WorkflowState.WAITING;
        }
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        if (n(counts, "succeeded") == total) {
            return WorkflowState.SUCCEEDED;
        }
        return cancelled || n(counts, "failed") == 0 ? WorkflowState.CANCELLED : WorkflowState.FAILED;
    }

    private static long n(Map<String, Long> counts, String status) {
        return counts.getOrDefault(status, 0L);
    }
}
