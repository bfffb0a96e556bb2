package dev.steadfast.cli.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steadfast.queue.JobHandler;
import java.util.List;

/** The job types every worker knows (contract): {@code noop}, {@code sleep} ({@code {"ms":N}}), {@code fail} ({@code {"message":...}}). */
public final class BuiltInHandlers {
    private BuiltInHandlers() {}

    /** Thrown by the {@code fail} type. */
    public static final class JobFailedAsAskedException extends Exception {
        private static final long serialVersionUID = 1L;

        JobFailedAsAskedException(String message) {
            super(message);
        }
    }

    public static List<JobHandler<?>> all() {
        return List.of(
                JobHandler.of("noop", JsonNode.class, (context, payload) -> {}),
                JobHandler.of(
                        "sleep",
                        JsonNode.class,
                        (context, payload) ->
                                Thread.sleep(Math.max(0, payload.path("ms").asLong()))),
                JobHandler.of("fail", JsonNode.class, (context, payload) -> {
                    throw new JobFailedAsAskedException(payload.path("message").asText("failed as asked"));
                }));
    }
}
