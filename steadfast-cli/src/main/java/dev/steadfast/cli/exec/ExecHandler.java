package dev.steadfast.cli.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.queue.JobContext;
import dev.steadfast.queue.JobHandler;
import dev.steadfast.queue.JobOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job as a short process of its own: the command, without a shell, with the payload's JSON on stdin and the
 * job's facts in its environment (an allow-list: {@link ChildEnvironment}). Exit status 0 is success; any other is a
 * failed attempt whose error is the status and the tail of stderr, retried and recorded like any failure. A command
 * returns a result by writing JSON to the file named by {@code STEADFAST_RESULT_FILE} ({@link ResultFile}). The command
 * starts in a session of its own, as another user with {@code --exec-user} ({@link CommandLauncher}); the attempt ends
 * with its own exit, and then whatever it left running is killed ({@link CommandProcesses}). When the worker stops, or
 * the job is cancelled, all of the command gets a SIGTERM, and the worker's grace to end; when the attempt's time is up,
 * or the grace, all of it is killed. No job code holds a database connection.
 */
public final class ExecHandler implements JobHandler<JsonNode> {
    private static final Logger LOG = LoggerFactory.getLogger(ExecHandler.class);
    /** What is kept of each of stdout and stderr. */
    static final int KEPT_BYTES = 64 * 1024;
    /** What of stderr goes into the error of a failed attempt. */
    static final int ERROR_BYTES = 2 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * How long the output may stay open once the command and its leftovers are gone: only a process that escaped them
     * all (it left the session and cleared its environment) holds it longer, and then the rest of the output is lost.
     */
    static final long OUTPUT_WAIT_MILLIS = 1_000;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ExecSpec spec;
    private final ChildEnvironment environment;
    private final CommandLauncher launcher;
    private final OutputSink outputs;

    /** Where what an attempt printed goes (the job's output rows, shown on its dashboard page). */
    @FunctionalInterface
    public interface OutputSink {
        void record(long jobId, JobOutput output) throws SQLException;
    }

    ExecHandler(ExecSpec spec, ChildEnvironment environment, CommandLauncher launcher, OutputSink outputs) {
        this.spec = spec;
        this.environment = environment;
        this.launcher = launcher;
        this.outputs = outputs;
    }

    /**
     * Handlers for these specs, their commands seeing the worker's environment through the allow-list. Warns when the
     * worker's environment holds a secret its commands could read (they run as its user).
     *
     * @param execUser the user commands run as ({@code --exec-user}), or null for the worker's own
     * @throws IllegalArgumentException for a bad variable name, or a user commands cannot run as (one line: why)
     */
    public static List<JobHandler<?>> of(
            List<ExecSpec> specs,
            Map<String, String> workerEnvironment,
            List<String> allowed,
            String execUser,
            OutputSink outputs) {
        ChildEnvironment environment = ChildEnvironment.of(workerEnvironment, allowed);
        CommandLauncher launcher = CommandLauncher.prepare(execUser, workerEnvironment);
        if (!launcher.switchesUser()) {
            List<String> secrets = SecretExposure.secretVariables(workerEnvironment);
            if (!secrets.isEmpty()) {
                LOG.warn(SecretExposure.warning(secrets));
            } else {
                LOG.info(
                        "job commands run as this worker's user: they can read every file it can (its secret files too);"
                                + " --exec-user runs them as another user");
            }
        }
        return specs.stream()
                .<JobHandler<?>>map(spec -> new ExecHandler(spec, environment, launcher, outputs))
                .toList();
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
        try (ResultFile result = ResultFile.create(launcher)) {
            run(context, payload, result);
            Optional<JsonNode> value = result.read(); // exit 0: what it wrote there is the job's result
            if (value.isPresent()) {
                context.result(value.get());
            }
        }
    }

    private void run(JobContext context, JsonNode payload, ResultFile result) throws Exception {
        Map<String, String> env = new LinkedHashMap<>(environment.forJob(context));
        env.put(ResultFile.VARIABLE, result.path().toString());
        env.putAll(launcher.userEnvironment());
        String mark = HexFormat.of().formatHex(randomBytes());
        env.put(CommandProcesses.MARK_VARIABLE, mark);
        String program = spec.command().get(0);
        if (CommandLauncher.find(program, env.getOrDefault("PATH", "")).isEmpty()) {
            throw new CommandFailedException("cannot start " + program + ": no such program"
                    + (program.contains("/") ? "" : " on PATH (" + env.getOrDefault("PATH", "") + ")"));
        }
        ProcessBuilder builder = new ProcessBuilder(launcher.words(spec.command()));
        builder.environment().clear();
        builder.environment().putAll(env);
        long notBefore = CommandProcesses.now();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new CommandFailedException("cannot start " + program + ": " + e.getMessage());
        }
        CommandProcesses processes = CommandProcesses.of(process, mark, notBefore);
        OutputTail stdout =
                OutputTail.reading(process.getInputStream(), KEPT_BYTES, "steadfast-exec-stdout-" + context.jobId());
        OutputTail stderr =
                OutputTail.reading(process.getErrorStream(), KEPT_BYTES, "steadfast-exec-stderr-" + context.jobId());
        writePayload(process, JSON.writeValueAsBytes(payload));
        boolean terminated = false;
        try {
            while (!process.waitFor(100, TimeUnit.MILLISECONDS)) {
                if (!terminated && (context.isStopping() || context.isCancelled())) {
                    LOG.info(
                            "job {}: sending SIGTERM to its command ({})",
                            context.jobId(),
                            context.isCancelled() ? "the job was cancelled" : "the worker is stopping");
                    processes.terminate();
                    terminated = true;
                }
            }
        } catch (InterruptedException e) {
            // the attempt's time or the worker's grace is up: nothing of the command may go on
            processes.kill();
            record(context, null, stdout, stderr);
            Thread.currentThread().interrupt();
            throw e;
        }
        // the attempt ends with the command's own exit: whatever it left running goes now, and with it its hold on the
        // pipes
        int leftovers = processes.kill();
        if (leftovers > 0) {
            LOG.info("job {}: killed {} process(es) its command left running", context.jobId(), leftovers);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(OUTPUT_WAIT_MILLIS);
        stdout.awaitUntil(deadline);
        stderr.awaitUntil(deadline);
        int status = process.exitValue();
        record(context, status, stdout, stderr);
        LOG.debug(
                "job {}: {} ended with status {} ({} bytes of stdout, {} of stderr)",
                context.jobId(),
                program,
                status,
                stdout.total(),
                stderr.total());
        if (status != 0) {
            String tail = stderr.text();
            tail = tail.length() > ERROR_BYTES ? "..." + tail.substring(tail.length() - ERROR_BYTES) : tail;
            throw new CommandFailedException(CommandProcesses.describe(status)
                    + (terminated ? " after SIGTERM" : "")
                    + (tail.isBlank() ? "" : "; stderr: " + tail.strip()));
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** Keeps what the attempt printed; losing it fails no job (the outcome is recorded either way). */
    private void record(JobContext context, Integer status, OutputTail stdout, OutputTail stderr) {
        try {
            outputs.record(
                    context.jobId(),
                    new JobOutput(
                            context.attempt(),
                            status,
                            stdout.text(),
                            stderr.text(),
                            stdout.total(),
                            stderr.total(),
                            null));
        } catch (SQLException | RuntimeException e) {
            LOG.warn("job {}: its command's output was not recorded: {}", context.jobId(), e.toString());
        }
    }

    /** Writes the payload on a thread of its own and closes stdin; a command that reads none of it is no failure. */
    private static void writePayload(Process process, byte[] json) {
        Thread writer = new Thread(
                () -> {
                    try (OutputStream in = process.getOutputStream()) {
                        in.write(json);
                    } catch (IOException e) {
                        // the command closed its stdin (or ended) without reading it all: its status says how it went
                    }
                },
                "steadfast-exec-stdin");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public String toString() {
        return spec.type() + " -> " + String.join(" ", spec.command());
    }
}
