package dev.steadfast.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The results of the jobs a job runs after ({@link JobContext#parentResults()}): by step name for a workflow's step,
 * by job id for any job that runs after others (a chain from {@code JobRequest.after}, {@code enqueue --after}).
 * Only parents that returned a result are in {@link #byStep()} and {@link #byJob()}; {@link #parents()} lists them all.
 * A job becomes pending only once all its parents succeeded (under the {@code continue} policy, also failed ones,
 * which have no result), so their results are there to read when it runs.
 */
public final class ParentResults {
    private static final ObjectMapper PLAIN = new ObjectMapper();

    /** No parents. */
    public static final ParentResults NONE = new ParentResults(Map.of(), Map.of(), PLAIN);

    private final Map<Long, String> parents;
    private final Map<Long, JsonNode> byJob;
    private final Map<String, JsonNode> byStep;
    private final ObjectMapper mapper;

    /**
     * @param parents each parent's job id mapped to its step name (null for a job of no workflow), in id order
     * @param results the parents' results by job id (parents without one absent)
     * @param mapper  what {@link #step(String, Class)} and {@link #job(long, Class)} read values with
     */
    public ParentResults(Map<Long, String> parents, Map<Long, JsonNode> results, ObjectMapper mapper) {
        this.parents = Collections.unmodifiableMap(new LinkedHashMap<>(parents));
        Map<Long, JsonNode> jobs = new LinkedHashMap<>();
        Map<String, JsonNode> steps = new LinkedHashMap<>();
        this.parents.forEach((id, step) -> {
            JsonNode result = results.get(id);
            if (result != null) {
                jobs.put(id, result);
                if (step != null) {
                    steps.put(step, result);
                }
            }
        });
        this.byJob = Collections.unmodifiableMap(jobs);
        this.byStep = Collections.unmodifiableMap(steps);
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /** Every parent's job id, in id order, mapped to its step name (null for a job of no workflow). */
    public Map<Long, String> parents() {
        return parents;
    }

    /** The results of the parents that are workflow steps and returned one, by step name. */
    public Map<String, JsonNode> byStep() {
        return byStep;
    }

    /** The results of the parents that returned one, by job id. */
    public Map<Long, JsonNode> byJob() {
        return byJob;
    }

    /** The result of the parent step of this name, or null (no such parent, or it returned none). */
    public JsonNode step(String name) {
        return byStep.get(name);
    }

    /** The result of the parent step of this name read as {@code type}, or null; see {@link #step(String)}. */
    public <T> T step(String name, Class<T> type) {
        return read(byStep.get(name), type, "step '" + name + "'");
    }

    /** The result of the parent job of this id, or null (no such parent, or it returned none). */
    public JsonNode job(long jobId) {
        return byJob.get(jobId);
    }

    /** The result of the parent job of this id read as {@code type}, or null; see {@link #job(long)}. */
    public <T> T job(long jobId, Class<T> type) {
        return read(byJob.get(jobId), type, "job " + jobId);
    }

    private <T> T read(JsonNode node, Class<T> type, String what) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return mapper.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "the result of parent " + what + " cannot be read as " + type.getSimpleName() + ": "
                            + e.getOriginalMessage(),
                    e);
        }
    }

    @Override
    public String toString() {
        return "ParentResults" + byJob;
    }
}
