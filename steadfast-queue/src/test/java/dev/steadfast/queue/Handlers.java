package dev.steadfast.queue;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Real handlers used by the tests. */
final class Handlers {
    private Handlers() {}

    /** Records the job ids it ran, in order. */
    static final class Recording implements JobHandler<JsonNode> {
        final List<Long> ran = new CopyOnWriteArrayList<>();
        private final String type;

        Recording(String type) {
            this.type = type;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public Class<JsonNode> payloadType() {
            return JsonNode.class;
        }

        @Override
        public void handle(JobContext context, JsonNode payload) {
            ran.add(context.jobId());
        }
    }

    /** Always throws, with the payload's message. */
    static final class Failing implements JobHandler<JsonNode> {
        final AtomicInteger attempts = new AtomicInteger();

        @Override
        public String type() {
            return "fail";
        }

        @Override
        public Class<JsonNode> payloadType() {
            return JsonNode.class;
        }

        @Override
        public void handle(JobContext context, JsonNode payload) {
            attempts.incrementAndGet();
            throw new IllegalStateException(payload.path("message").asText("failed as designed"));
        }
    }

    /** Appends its job id to a ledger table in the job's own transaction. */
    static final class LedgerAppend implements TransactionalJobHandler<JsonNode> {
        final AtomicInteger calls = new AtomicInteger();
        private final String table;

        LedgerAppend(String table) {
            this.table = table;
        }

        @Override
        public String type() {
            return "ledger";
        }

        @Override
        public Class<JsonNode> payloadType() {
            return JsonNode.class;
        }

        @Override
        public void handle(JobContext context, JsonNode payload, Connection tx) throws Exception {
            calls.incrementAndGet();
            try (PreparedStatement s = tx.prepareStatement("INSERT INTO " + table + " (job_id) VALUES (?)")) {
                s.setLong(1, context.jobId());
                s.executeUpdate();
            }
        }
    }
}
