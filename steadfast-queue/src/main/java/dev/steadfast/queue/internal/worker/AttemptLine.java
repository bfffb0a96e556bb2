package dev.steadfast.queue.internal.worker;

import dev.steadfast.queue.events.WorkerEvent.JobFinished;
import dev.steadfast.queue.internal.store.ClaimedJob;
import dev.steadfast.queue.internal.store.JobFailure;
import dev.steadfast.queue.text.ControlCharacters;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The log line of one attempt's outcome: a sentence for people, with the same facts as key-value pairs for
 * JSON logs (job_id, type, queue, attempt, max_attempts, duration_ms, outcome, error, retry_in_ms).
 */
final class AttemptLine {
    private AttemptLine() {}

    static void log(
            Logger log,
            ClaimedJob job,
            JobFinished.Result result,
            Duration took,
            JobFailure failure,
            Duration retryIn) {
        boolean failed = result == JobFinished.Result.FAILED;
        if (failed ? !log.isWarnEnabled() : !log.isInfoEnabled()) {
            return;
        }
        LoggingEventBuilder line = (failed ? log.atWarn() : log.atInfo())
                .addKeyValue("job_id", job.id())
                .addKeyValue("type", job.type())
                .addKeyValue("queue", job.queue())
                .addKeyValue("attempt", job.attempt())
                .addKeyValue("max_attempts", job.maxAttempts())
                .addKeyValue("duration_ms", took.toMillis())
                .addKeyValue("outcome", result.name().toLowerCase(Locale.ROOT));
        String facts = " (type " + job.type() + ", queue " + job.queue() + ", attempt " + job.attempt() + "/"
                + job.maxAttempts() + ", " + took.toMillis() + " ms)";
        String what = switch (result) {
            case SUCCEEDED -> "succeeded";
            case RETRIED -> "failed, retrying in " + seconds(retryIn);
            case FAILED -> "failed for good";
            case CANCELLED -> "stopped: cancelled";
        };
        if (failure != null) {
            line = line.addKeyValue("error", failure.summary());
        }
        if (retryIn != null) {
            line = line.addKeyValue("retry_in_ms", retryIn.toMillis());
        }
        // one line whatever the error says: a message with line breaks or escapes must not forge log lines (the
        // JSON field above keeps the text as it is, JSON escapes it)
        line.log(ControlCharacters.oneLine(
                "job " + job.id() + " " + what + facts + (failure == null ? "" : ": " + failure.summary())));
    }

    private static String seconds(Duration d) {
        return d == null ? "?" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
