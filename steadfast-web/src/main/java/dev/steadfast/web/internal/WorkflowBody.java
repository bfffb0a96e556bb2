package dev.steadfast.web.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.steadfast.queue.BatchRequest;
import dev.steadfast.queue.FailurePolicy;
import dev.steadfast.queue.JobRequest;
import dev.steadfast.queue.WorkflowRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the body of {@code POST /api/workflows}: {@code {"name", "steps": [{"name": "a", ...job...}, {"name": "b",
 * ...job..., "after": ["a"]}], "on_failure": "cancel_dependents"|"continue"|"wait"}}, each step's job read as
 * {@link JobBody} reads one (streaming, no tree of a payload), a step's own {@code on_failure} allowed; a step may
 * instead be a batch, {@code {"name": "import", "batch": {...as POST /api/batches...}, "after": ["a"]}}. Every mistake,
 * cycles and unknown steps included, is an {@link IllegalArgumentException} for a 400.
 */
final class WorkflowBody {
    private static final Set<String> STEP_FIELDS = Set.of("name", "after", "on_failure", "batch");

    private WorkflowBody() {}

    static WorkflowRequest read(byte[] body) {
        try (JsonParser p = JobBody.parser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("the body must be a JSON object like {\"name\": \"order\","
                        + " \"steps\": [{\"name\": \"a\", \"type\": \"charge\"}, {\"name\": \"b\", \"type\": \"ship\","
                        + " \"after\": [\"a\"]}]}");
            }
            String name = null;
            FailurePolicy onFailure = null;
            List<WorkflowRequest.Step> steps = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "name" -> name = text(p, "name");
                    case "on_failure" -> onFailure = FailurePolicy.parse(text(p, "on_failure"));
                    case "steps" -> steps = steps(p, body.length);
                    default ->
                        throw new IllegalArgumentException(
                                "unknown field '" + field + "' (known: name, on_failure, steps)");
                }
            }
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("the body must hold one JSON object and nothing after it");
            }
            if (name == null) {
                throw new IllegalArgumentException("'name' is required: a string naming the workflow");
            }
            if (steps == null || steps.isEmpty()) {
                throw new IllegalArgumentException("'steps' is required: an array of at least one step");
            }
            return new WorkflowRequest(name, onFailure == null ? FailurePolicy.CANCEL_DEPENDENTS : onFailure, steps);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading a body in memory", e);
        }
    }

    private static List<WorkflowRequest.Step> steps(JsonParser p, int size) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("'steps' must be an array of steps");
        }
        List<WorkflowRequest.Step> steps = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException(
                        "each step must be an object like {\"name\": \"a\", \"type\": \"t\"}");
            }
            if (steps.size() == WorkflowRequest.MAX_STEPS) {
                throw new IllegalArgumentException("a workflow has at most " + WorkflowRequest.MAX_STEPS + " steps");
            }
            String[] name = {null};
            List<String> after = new ArrayList<>();
            FailurePolicy[] policy = {null};
            BatchRequest[] batch = {null};
            JobRequest job = JobBody.readObjectOrNone(p, size, STEP_FIELDS, (field, parser) -> {
                switch (field) {
                    case "name" -> name[0] = text(parser, "name");
                    case "on_failure" -> policy[0] = FailurePolicy.parse(text(parser, "on_failure"));
                    case "after" -> after.addAll(names(parser));
                    case "batch" ->
                        batch[0] = batch(
                                parser,
                                size,
                                name[0] != null ? "step '" + name[0] + "'" : "step " + (steps.size() + 1));
                    default -> throw new IllegalStateException("a step field without a reader: " + field);
                }
            });
            if (name[0] == null) {
                throw new IllegalArgumentException(
                        "step " + (steps.size() + 1) + " has no 'name': each step is named, unique in its workflow");
            }
            if (job != null && batch[0] != null) {
                throw new IllegalArgumentException("step '" + name[0] + "' has both a job (its 'type' and job fields)"
                        + " and a 'batch': a step runs one of them");
            }
            if (job == null && batch[0] == null) {
                throw new IllegalArgumentException(
                        "step '" + name[0] + "' has neither a job ('type' is required)" + " nor a 'batch'");
            }
            steps.add(new WorkflowRequest.Step(name[0], job, after, policy[0], batch[0]));
        }
        return steps;
    }

    /**
     * A step's {@code "batch"}: an object as {@code POST /api/batches} takes one. A mistake names the step ({@code step},
     * its name, or its place when the name comes after the batch), as the step's other mistakes do.
     */
    private static BatchRequest batch(JsonParser p, int size, String step) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("the 'batch' of " + step
                    + " must be an object as POST /api/batches takes, like {\"jobs\": [{\"type\": \"row\"}]}");
        }
        try {
            return BatchesApi.object(p, size);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the 'batch' of " + step + ": " + e.getMessage(), e);
        }
    }

    private static List<String> names(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("a step's 'after' must be an array of step names, like [\"a\"]");
        }
        List<String> names = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            names.add(text(p, "after"));
        }
        return names;
    }

    private static String text(JsonParser p, String field) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException("'" + field + "' must be a string");
        }
        return p.getText();
    }
}
