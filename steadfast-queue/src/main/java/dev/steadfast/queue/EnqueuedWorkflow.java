package dev.steadfast.queue;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A workflow as it was enqueued.
 *
 * @param id      the workflow's id
 * @param steps   each step's job id, by step name, parents before their children (the order their ids were given in);
 *                for a step that is a batch, its batch's stand-in job
 * @param batches the batch id of each step that is a batch, by step name (empty when none is)
 */
public record EnqueuedWorkflow(long id, Map<String, Long> steps, Map<String, Long> batches) {
    public EnqueuedWorkflow {
        steps = Collections.unmodifiableMap(new LinkedHashMap<>(steps));
        batches = Collections.unmodifiableMap(new LinkedHashMap<>(batches));
    }

    /** A workflow whose steps are all jobs. */
    public EnqueuedWorkflow(long id, Map<String, Long> steps) {
        this(id, steps, Map.of());
    }
}
