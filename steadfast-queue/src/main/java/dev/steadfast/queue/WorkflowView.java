package dev.steadfast.queue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A workflow: its declaration and where it is, derived from its steps.
 *
 * @param id         the workflow's id
 * @param name       its name (not unique: a name says what kind of workflow it is)
 * @param onFailure  the policy of its steps that set none of their own
 * @param state      derived from its steps' states
 * @param counts     how many steps are in each status (by {@link JobStatus#text()}; statuses without steps left out)
 * @param createdAt  when it was enqueued
 * @param finishedAt when its last step ended, or null while it has not ended
 * @param steps      its steps, parents before their children (empty in lists, which show counts only)
 */
public record WorkflowView(
        long id,
        String name,
        FailurePolicy onFailure,
        WorkflowState state,
        Map<String, Long> counts,
        Instant createdAt,
        Instant finishedAt,
        List<WorkflowStep> steps) {
    public WorkflowView {
        counts = Map.copyOf(counts);
        steps = List.copyOf(steps);
    }

    /** How many steps it has. */
    public long stepCount() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
