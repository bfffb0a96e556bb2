package dev.steadfast.queue;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A workflow as it was enqueued.
 *
 * @param id    the workflow's id
 * @param steps each step's job id, by step name, parents before their children (the order their ids were given in)
 */
public record EnqueuedWorkflow(long id, Map<String, Long> steps) {
    public EnqueuedWorkflow {
        steps = Collections.unmodifiableMap(new LinkedHashMap<>(steps));
    }
}
