package dev.steadfast.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steadfast.queue.JobContext;
import dev.steadfast.queue.JobHandler;
import java.util.concurrent.atomic.AtomicLong;

/** The {@code noop} jobs of the benchmarks: counts them and remembers when the last one started. */
final class NoopHandler implements JobHandler<JsonNode> {
    final AtomicLong done = new AtomicLong();
    volatile long lastStartNanos;

    @Override
    public String type() {
        return "noop";
    }

    @Override
    public Class<JsonNode> payloadType() {
        return JsonNode.class;
    }

    @Override
    public void handle(JobContext context, JsonNode payload) {
        lastStartNanos = System.nanoTime();
        done.incrementAndGet();
    }
}
