package dev.steadfast.cli.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.queue.JobContext;
import dev.steadfast.queue.JobHandler;
import dev.steadfast.queue.JobOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a job as a short process of its own: the command, without a shell, with the payload's JSON on stdin and the
 * job's facts in its environment (an allow-list: {@link ChildEnvironment}). Exit status 0 is success; any other is a
 * failed attempt whose error is the status and the tail of stderr, retried and recorded like any failure. When the
 * worker stops, or the job is cancelled, the command gets a SIGTERM (its whole process tree), and the worker's grace
 * to end; when the attempt's time is up, or the grace, the tree is killed. No job code holds a database connection.
 */
public final class ExecHandler implements JobHandler<JsonNode> {
    private static final Logger LOG = LoggerFactory.getLogger(ExecHandler.class);
    /** What is kept of each of stdout and stderr. */
    static final int KEPT_BYTES = 64 * 1024;
    /** What of stderr goes into the error of a failed attempt. */
    static final int ERROR_BYTES = 2 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExecSpec spec;
    private final ChildEnvironment environment;
    private final OutputSink outputs;

    /** Where what an attempt printed goes (the job's output rows, shown on its dashboard page). */
    @FunctionalInterface
    public interface OutputSink {
        void record(long jobId, JobOutput output) throws java.sql.SQLException;
    }

    ExecHandler(ExecSpec spec, ChildEnvironment environment, OutputSink outputs) {
        this.spec = spec;
        this.environment = environment;
        this.outputs = outputs;
    }

    /** Handlers for these specs, their commands seeing the worker's environment through the allow-list. */
    public static List<JobHandler<?>> of(List<ExecSpec> specs, java.util.Map<String, String> workerEnvironment, List<String> allowed,
                                         OutputSink outputs) {
        ChildEnvironment environment = ChildEnvironment.of(workerEnvironment, allowed);
        return specs.stream().<JobHandler<?>>map(spec -> new ExecHandler(spec, environment, outputs)).toList();
    }

    @Override
    public String type() {
        return spec.type();
    }

    @Override
    public Class<JsonNode> payloadType() {
        return JsonNode.class;
    }

    @Override
    public Duration timeout() {
        return spec.timeout();
    }

    @Override
    public void handle(JobContext context, JsonNode payload) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(spec.command());
        builder.environment().clear();
        builder.environment().putAll(environment.forJob(context));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new CommandFailedException("cannot start " + spec.command().get(0) + ": " + e.getMessage());
        }
        OutputTail stdout = OutputTail.reading(process.getInputStream(), KEPT_BYTES, "steadfast-exec-stdout-" + context.jobId());
        OutputTail stderr = OutputTail.reading(process.getErrorStream(), KEPT_BYTES, "steadfast-exec-stderr-" + context.jobId());
        writePayload(process, JSON.writeValueAsBytes(payload));
        boolean terminated = false;
        try {
            while (!process.waitFor(100, TimeUnit.MILLISECONDS)) {
                if (!terminated && (context.isStopping() || context.isCancelled())) {
                    LOG.info("job {}: sending SIGTERM to its command ({})", context.jobId(),
                            context.isCancelled() ? "the job was cancelled" : "the worker is stopping");
                    ProcessTrees.terminate(process);
                    terminated = true;
                }
            }
        } catch (InterruptedException e) {
            // the attempt's time or the worker's grace is up: nothing of the command may go on
            ProcessTrees.kill(process);
            record(context, null, stdout, stderr);
            Thread.currentThread().interrupt();
            throw e;
        }
        // descendants that outlive it may still hold the pipes: the output is what came until they close, or a while
        stdout.await(2_000);
        stderr.await(2_000);
        int status = process.exitValue();
        record(context, status, stdout, stderr);
        LOG.debug("job {}: {} ended with status {} ({} bytes of stdout, {} of stderr)", context.jobId(), spec.command().get(0), status,
                stdout.total(), stderr.total());
        if (status != 0) {
            String tail = stderr.text();
            tail = tail.length() > ERROR_BYTES ? "..." + tail.substring(tail.length() - ERROR_BYTES) : tail;
            throw new CommandFailedException(ProcessTrees.describe(status) + (terminated ? " after SIGTERM" : "")
                    + (tail.isBlank() ? "" : "; stderr: " + tail.strip()));
        }
    }

    /** Keeps what the attempt printed; losing it fails no job (the outcome is recorded either way). */
    private void record(JobContext context, Integer status, OutputTail stdout, OutputTail stderr) {
        try {
            outputs.record(context.jobId(), new JobOutput(context.attempt(), status, stdout.text(), stderr.text(), stdout.total(),
                    stderr.total(), null));
        } catch (java.sql.SQLException | RuntimeException e) {
            LOG.warn("job {}: its command's output was not recorded: {}", context.jobId(), e.toString());
        }
    }

    /** Writes the payload on a thread of its own and closes stdin; a command that reads none of it is no failure. */
    private static void writePayload(Process process, byte[] json) {
        Thread writer = new Thread(() -> {
            try (OutputStream in = process.getOutputStream()) {
                in.write(json);
            } catch (IOException e) {
                // the command closed its stdin (or ended) without reading it all: its status says how it went
            }
        }, "steadfast-exec-stdin");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public String toString() {
        return spec.type() + " -> " + String.join(" ", spec.command());
    }
}
