package dev.steadfast.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steadfast.queue.JobContext;
import dev.steadfast.queue.JobHandler;
import dev.steadfast.queue.JobType;
import dev.steadfast.queue.RetryBackoff;
import dev.steadfast.queue.TransactionalJobHandler;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/** The demo's job types: work with an exactly-once database effect, flaky work, and work that is doomed. */
final class DemoHandlers {
    static final String RECORD = "demo-record";
    static final String FLAKY = "demo-flaky";
    static final String DOOMED = "demo-doomed";
    static final RetryBackoff QUICK_RETRY = RetryBackoff.fixed(Duration.ofMillis(300));

    private DemoHandlers() {}

    /** Thrown by jobs that fail on purpose; anything else reaching a job is an error the demo counts. */
    static final class DesignedFailure extends Exception {
        private static final long serialVersionUID = 1L;

        DesignedFailure(String message) {
            super(message);
        }
    }

    static List<JobHandler<?>> all() {
        return List.of(new Record(), flaky(), doomed());
    }

    /** Writes one ledger row per job, in the transaction that records the job's success. */
    static final class Record implements TransactionalJobHandler<JsonNode> {
        @Override
        public String type() {
            return RECORD;
        }

        @Override
        public Class<JsonNode> payloadType() {
            return JsonNode.class;
        }

        @Override
        public void handle(JobContext context, JsonNode payload, Connection tx)
                throws SQLException, InterruptedException {
            try (PreparedStatement s = tx.prepareStatement("INSERT INTO demo_ledger (job_id, task) VALUES (?, ?)")) {
                s.setLong(1, context.jobId());
                s.setInt(2, payload.path("task").asInt());
                s.executeUpdate();
            }
            Thread.sleep(payload.path("ms").asLong(0)); // work in flight while the demo breaks things
        }
    }

    private static JobHandler<JsonNode> flaky() {
        return quick(FLAKY).handler((context, payload) -> {
            if (context.attempt() < 3) {
                throw new DesignedFailure("flaky on attempt " + context.attempt() + ", fine on the third");
            }
        });
    }

    private static JobHandler<JsonNode> doomed() {
        return quick(DOOMED).handler((context, payload) -> {
            throw new DesignedFailure("this job fails on purpose, every time");
        });
    }

    /** A job type retried after 300 ms instead of the default backoff, so the demo stays short. */
    private static JobType<JsonNode> quick(String type) {
        return JobType.of(type, JsonNode.class).retryBackoff(QUICK_RETRY);
    }
}
