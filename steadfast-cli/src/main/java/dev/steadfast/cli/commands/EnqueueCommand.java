package dev.steadfast.cli.commands;

import dev.steadfast.cli.DurationConverter;
import dev.steadfast.cli.Lifecycle;
import dev.steadfast.cli.SizeConverter;
import dev.steadfast.cli.UserException;
import dev.steadfast.queue.DependencyException;
import dev.steadfast.queue.Enqueued;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.JobRequest;
import dev.steadfast.queue.JobStatus;
import dev.steadfast.queue.JobView;
import dev.steadfast.queue.PayloadTooLargeException;
import dev.steadfast.web.PrintedTime;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code steadfast enqueue}. */
@Command(name = "enqueue", mixinStandardHelpOptions = true, description = "Add jobs to a queue.")
public final class EnqueueCommand extends DatabaseCommand {
    private static final int BATCH = 1000;

    @Option(
            names = "--type",
            paramLabel = "TYPE",
            required = true,
            description = "Job type (built in: noop, sleep, fail; or a plugin's).")
    String type;

    @Option(
            names = "--queue",
            paramLabel = "QUEUE",
            defaultValue = JobRequest.DEFAULT_QUEUE,
            description = "Queue (default: ${DEFAULT-VALUE}).")
    String queue;

    @Option(
            names = "--payload",
            defaultValue = "{}",
            paramLabel = "JSON|@FILE",
            description =
                    "JSON payload, @file to read it from a file, or @- to read it from standard input (default: {}).")
    String payload;

    @Option(
            names = "--delay",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Run no earlier than this from now (e.g. 30s, 5m).")
    Duration delay;

    @Option(
            names = "--timeout",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "How long one attempt may run: longer, it is interrupted and fails as timed out (then retried"
                    + " as any failure). Default: the handler's, or no limit.")
    Duration timeout;

    @Option(
            names = "--concurrency-key",
            paramLabel = "KEY",
            description =
                    "Jobs with this key run at most --concurrency-limit at once, across all workers; the others wait.")
    String concurrencyKey;

    @Option(
            names = "--concurrency-limit",
            paramLabel = "N",
            description = "How many jobs with --concurrency-key may run at once.")
    Integer concurrencyLimit;

    @Option(
            names = "--priority",
            paramLabel = "N",
            defaultValue = "0",
            description = "Higher runs first (default: ${DEFAULT-VALUE}).")
    int priority;

    @Option(
            names = "--max-attempts",
            paramLabel = "N",
            defaultValue = "" + JobRequest.DEFAULT_MAX_ATTEMPTS,
            description = "Attempts before the job fails for good (default: ${DEFAULT-VALUE}).")
    int maxAttempts;

    @Option(
            names = "--unique-key",
            paramLabel = "KEY",
            description =
                    "At most one live job (pending, scheduled or running) per key and queue: a second enqueue names the first job and adds nothing.")
    String uniqueKey;

    @Option(
            names = "--after",
            split = ",",
            paramLabel = "ID",
            description = "Run after these jobs (a chain): the job waits until they have all succeeded. A job that"
                    + " failed or was cancelled, or an unknown id, is refused.")
    List<Long> after;

    @Option(
            names = "--count",
            paramLabel = "N",
            defaultValue = "1",
            description = "Enqueue this many identical jobs, in batches.")
    int count;

    @Option(
            names = "--max-payload",
            defaultValue = "16MB",
            converter = SizeConverter.class,
            paramLabel = "SIZE",
            description = "Refuse payloads larger than this (default: ${DEFAULT-VALUE}).")
    int maxPayload;

    /** How often a long enqueue says how far it got (on stderr: stdout keeps the one result line). */
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

    @Override
    int run(Lifecycle lifecycle) throws Exception {
        if (maxPayload < 2) {
            throw UserException.usage("--max-payload must be at least 2 bytes ({}), got " + maxPayload);
        }
        validate();
        String json = PayloadText.read(payload, maxPayload, System.in);
        JobRequest request = request(json);
        JobQueue jobs = openQueueForChanges(lifecycle).withMaxPayloadBytes(maxPayload);
        try {
            int code = enqueue(jobs, request);
            // still enqueued: during a rolling deploy the worker that handles it may be on its way
            jobs.unhandledHint(queue, type)
                    .ifPresent(hint -> err().println("steadfast: note: " + StoredText.line(hint)));
            return code;
        } catch (PayloadTooLargeException e) {
            throw tooLarge(e.bytes());
        } catch (DependencyException e) {
            throw UserException.usage(e.getMessage());
        } finally {
            // idle workers on this host are told in the background: let that happen before this process exits
            jobs.awaitWakeUpsSent(Duration.ofSeconds(1));
        }
    }

    private int enqueue(JobQueue jobs, JobRequest request) throws SQLException {
        if (count == 1) {
            Enqueued result = jobs.submit(request);
            // the job's state and run time, only when the line says them (a delay, or a job that held the key)
            JobView job = delay == null && !result.matchedExisting()
                    ? null
                    : jobs.browser().job(result.id(), 0).orElse(null);
            String when = job != null && job.status() == JobStatus.SCHEDULED
                    ? ", runs at " + PrintedTime.of(job.runAt())
                    : "";
            if (result.matchedExisting()) {
                out().println("job " + result.id() + " already holds unique key '" + uniqueKey + "' in queue " + queue
                        + (job == null ? "" : " (" + job.status().text() + when + ")") + ": nothing enqueued");
            } else {
                String waits = after == null || after.isEmpty()
                        ? ""
                        : ", waits for "
                                + String.join(
                                        ", ",
                                        after.stream().map(String::valueOf).toList());
                out().println("enqueued job " + result.id() + " (type " + type + ", queue " + queue + when + waits
                        + ")");
            }
            return ok();
        }
        long first = -1;
        long last = -1;
        long started = System.nanoTime();
        long lastReport = started;
        for (int done = 0; done < count; ) {
            List<JobRequest> batch = new ArrayList<>(Collections.nCopies(Math.min(BATCH, count - done), request));
            List<Long> ids = jobs.enqueueAll(batch);
            done += batch.size();
            first = first < 0 ? ids.get(0) : first;
            last = ids.get(ids.size() - 1);
            long now = System.nanoTime();
            if (now - lastReport > PROGRESS_EVERY.toNanos() && done < count) {
                lastReport = now;
                err().printf(Locale.ROOT, "enqueued %,d of %,d (%d%%)%n", done, count, done * 100L / count);
                err().flush();
            }
        }
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        out().println(String.format(
                Locale.ROOT,
                "enqueued %d jobs (type %s, queue %s, ids %d..%d) in %.1f s (%,.0f jobs/s)",
                count,
                type,
                queue,
                first,
                last,
                seconds,
                count / seconds));
        return ok();
    }

    private void validate() {
        if (count < 1) {
            throw UserException.usage("--count must be at least 1, got " + count);
        }
        if (uniqueKey != null && count > 1) {
            throw UserException.usage(
                    "--unique-key allows one live job per key: it cannot be combined with --count " + count);
        }
        if ((concurrencyKey == null) != (concurrencyLimit == null)) {
            throw UserException.usage("--concurrency-key and --concurrency-limit go together");
        }
        if (maxAttempts < 1) {
            throw UserException.usage("--max-attempts must be at least 1, got " + maxAttempts);
        }
        if (type.isBlank()) {
            throw UserException.usage("--type must not be empty");
        }
    }

    private UserException tooLarge(long bytes) {
        return PayloadText.tooLarge(bytes, maxPayload);
    }

    private JobRequest request(String json) {
        try {
            JobRequest.Builder builder = JobRequest.of(type)
                    .queue(queue)
                    .payloadJson(json)
                    .priority(priority)
                    .maxAttempts(maxAttempts);
            if (delay != null) {
                builder.delay(delay);
            }
            if (uniqueKey != null) {
                builder.uniqueKey(uniqueKey);
            }
            if (timeout != null) {
                builder.timeout(timeout);
            }
            if (concurrencyKey != null) {
                builder.concurrencyLimit(concurrencyKey, concurrencyLimit);
            }
            if (after != null) {
                builder.after(after.stream().mapToLong(Long::longValue).toArray());
            }
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw UserException.usage(e.getMessage());
        }
    }
}
