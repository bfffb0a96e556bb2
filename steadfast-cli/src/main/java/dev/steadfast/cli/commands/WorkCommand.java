package dev.steadfast.cli.commands;

import dev.steadfast.cli.DurationConverter;
import dev.steadfast.cli.ExitCode;
import dev.steadfast.cli.Lifecycle;
import dev.steadfast.cli.SizeConverter;
import dev.steadfast.cli.UserException;
import dev.steadfast.cli.exec.ExecHandler;
import dev.steadfast.cli.exec.ExecSpec;
import dev.steadfast.cli.notify.NotifyOptions;
import dev.steadfast.cli.plugins.BuiltInHandlers;
import dev.steadfast.cli.plugins.PluginLoader;
import dev.steadfast.cli.web.PortInUseException;
import dev.steadfast.cli.web.WebOptions;
import dev.steadfast.cli.web.WebServer;
import dev.steadfast.jdbc.DatabaseUnavailableException;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.JobHandler;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.NameRule;
import dev.steadfast.queue.Worker;
import dev.steadfast.queue.WorkerSettings;
import dev.steadfast.queue.metrics.QueueGauges;
import dev.steadfast.queue.notify.NotificationDispatcher;
import dev.steadfast.queue.text.Redactor;
import dev.steadfast.web.WebSettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code steadfast work}: the worker daemon. */
@Command(
        name = "work",
        mixinStandardHelpOptions = true,
        description = {
            "Run jobs until stopped.",
            "SIGTERM or SIGINT: stop claiming, let running jobs finish within the grace period, release the rest, exit 0."
                    + " Made to run under supervisor, systemd or Kubernetes."
        })
public final class WorkCommand extends DatabaseCommand {
    private static final Logger LOG = LoggerFactory.getLogger(WorkCommand.class);

    @Option(
            names = "--queue",
            split = ",",
            defaultValue = WorkerSettings.DEFAULT_QUEUE,
            paramLabel = "Q[,Q]",
            description =
                    "Queues to work on, strictly in this order: a later queue only when the earlier ones have no due job"
                            + " (default: ${DEFAULT-VALUE}). With weights (mail:3,default:1) each claim draws the order anew, a queue"
                            + " first in proportion to its weight, so none starves.")
    List<String> queueSpecs;

    /** The queue names, without weights. */
    private List<String> queues;
    /** Queue to weight when weights were given, else null. */
    private Map<String, Integer> weights;

    @Option(
            names = "--concurrency",
            paramLabel = "N",
            defaultValue = WorkerSettings.DEFAULT_CONCURRENCY_TEXT,
            description = "Jobs run at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(
            names = "--max-jobs",
            paramLabel = "N",
            defaultValue = "0",
            description = "Stop after this many jobs (0: no limit).")
    long maxJobs;

    @Option(
            names = "--max-time",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "Stop after running this long (e.g. 1h).")
    Duration maxTime;

    @Option(
            names = "--memory",
            defaultValue = "0",
            paramLabel = "MB",
            description = "Stop when the heap in use reaches this many MB (0: no limit).")
    long memoryMb;

    @Option(
            names = "--stop-when-empty",
            description =
                    "Stop once the queues hold no job of a type this worker handles that is due, running or waiting"
                            + " to be retried (jobs delayed to later do not keep it running).")
    boolean stopWhenEmpty;

    @Option(
            names = "--exec",
            paramLabel = "TYPE=COMMAND",
            description =
                    "Run jobs of TYPE as COMMAND, one process per job (repeat for more types): split into words as a shell"
                            + " would but run without one; the payload's JSON on stdin; STEADFAST_JOB_ID, STEADFAST_JOB_ATTEMPT,"
                            + " STEADFAST_JOB_MAX_ATTEMPTS, STEADFAST_JOB_QUEUE, STEADFAST_JOB_TYPE in its environment; exit 0 is success, anything else a failed attempt with the tail of stderr."
                            + " A command returns a result (JSON) by writing it to the file named by STEADFAST_RESULT_FILE.")
    List<String> execSpecs;

    @Option(
            names = "--exec-timeout",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description =
                    "How long one attempt of an --exec command may run before its process tree is killed (a job's own"
                            + " --timeout wins).")
    Duration execTimeout;

    @Option(
            names = "--exec-env",
            split = ",",
            paramLabel = "NAME",
            description =
                    "Pass this variable of the worker's environment to --exec commands (besides PATH, HOME, locale, TZ,"
                            + " TMPDIR); the worker's own STEADFAST_* settings and secrets never are.")
    List<String> execEnv;

    @Option(
            names = "--exec-user",
            paramLabel = "USER",
            description =
                    "Run --exec commands as this user (setpriv), so that they can read neither the worker's environment"
                            + " nor the files only the worker's user may read; the worker must run as root (checked at start). Without it"
                            + " commands run as the worker's user and can read whatever it can.")
    String execUser;

    @Option(
            names = "--max-result-size",
            paramLabel = "SIZE",
            converter = SizeConverter.class,
            defaultValue = "64KB",
            description = "The largest result a job may return (JSON; a Java handler's JobContext.result, an --exec"
                    + " command's STEADFAST_RESULT_FILE); a larger one fails its job without a retry (default:"
                    + " ${DEFAULT-VALUE}, at most 16MB).")
    int maxResultSize;

    @Option(
            names = "--plugins",
            paramLabel = "DIR",
            description = "Load job handlers from the jars in DIR (ServiceLoader).")
    Path plugins;

    @Option(
            names = "--lease",
            paramLabel = "DURATION",
            defaultValue = WorkerSettings.DEFAULT_LEASE_TEXT,
            converter = DurationConverter.class,
            description = "Lease of a claimed job, renewed while it runs (default: ${DEFAULT-VALUE}).")
    Duration lease;

    @Option(
            names = "--shutdown-grace",
            paramLabel = "DURATION",
            defaultValue = WorkerSettings.DEFAULT_SHUTDOWN_GRACE_TEXT,
            converter = DurationConverter.class,
            description = "Time running jobs get to finish when stopping (default: ${DEFAULT-VALUE}).")
    Duration shutdownGrace;

    @Option(
            names = "--http-port",
            paramLabel = "PORT",
            description = "Also serve /metrics, /healthz, /readyz and the dashboard on this port (0: any free port).")
    Integer httpPort;

    @Option(
            names = "--http-bind",
            paramLabel = "HOST",
            defaultValue = "127.0.0.1",
            description = "Address for --http-port (default: ${DEFAULT-VALUE}).")
    String httpBind;

    @Option(
            names = "--token-file",
            paramLabel = "FILE",
            description =
                    "File holding the token for --http-port (otherwise STEADFAST_UI_TOKEN); required beyond loopback.")
    Path tokenFile;

    @Option(
            names = "--public-host",
            split = ",",
            paramLabel = "NAME",
            description = "Host names the --http-port dashboard answers to besides the bind address and localhost.")
    List<String> publicHosts = List.of();

    @Option(
            names = "--http-base-path",
            paramLabel = "PATH",
            defaultValue = "",
            description = "Serve the dashboard under this path, as a reverse proxy forwards it (/steadfast).")
    String httpBasePath;

    @Option(
            names = "--trust-proxy",
            split = ",",
            paramLabel = "ADDRESS",
            description = "IP address of a reverse proxy in front of --http-port: its X-Forwarded-For names the client"
                    + " the login throttle counts.")
    List<String> trustedProxies = List.of();

    @Option(
            names = "--pool-size",
            paramLabel = "N",
            description =
                    "Database connections (default: concurrency + 4: one per job thread, for transactional handlers,"
                            + " plus claims, heartbeats, outcomes and housekeeping).")
    Integer poolSize;

    @Option(
            names = "--migrate",
            description = "Create or update Steadfast's tables before working (as 'steadfast migrate' does);"
                    + " otherwise the schema must be in place.")
    boolean migrate;

    @Mixin
    NotifyOptions notify;

    @Mixin
    RetentionOptions retention;

    @Override
    int run(Lifecycle lifecycle) throws Exception {
        validate();
        WebSettings web = httpPort == null
                ? null
                : WebOptions.trustingProxies(
                        WebOptions.settings(httpBind, httpPort, tokenFile, publicHosts, httpBasePath), trustedProxies);
        List<JobHandler<?>> handlers = handlers();
        NotificationDispatcher notifications = notify.dispatcher(Redactor::process, Clock.systemUTC());
        if (notifications != null) {
            lifecycle.add(notifications);
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        int pool = poolSize != null ? poolSize : concurrency + 4;
        JobQueue queue = migrate
                ? openMigratedQueue(lifecycle, registry, b -> b.hikari(c -> c.setMaximumPoolSize(pool)))
                : openQueue(lifecycle, registry, b -> b.hikari(c -> c.setMaximumPoolSize(pool)));
        ResilientDatabase db = queue.database();
        queueForOutputs.set(queue);
        Worker.Builder builder = (weights == null
                        ? Worker.builder(queue).queues(queues)
                        : Worker.builder(queue).weightedQueues(weights))
                .concurrency(concurrency)
                .maxJobs(maxJobs)
                .maxMemoryMb(memoryMb)
                .lease(lease)
                .maxResultBytes(maxResultSize)
                .shutdownGrace(shutdownGrace);
        retention.apply(builder);
        if (maxTime != null) {
            builder.maxTime(maxTime);
        }
        handlers.forEach(builder::handler);
        if (notifications != null) {
            builder.listener(notifications);
            notifications.watch(db::connectionHealth);
        }
        Worker worker = builder.build();
        lifecycle.add(new WorkerStopper(worker, shutdownGrace.plusSeconds(15)));
        lifecycle.exitCodeOnSignal(() -> ExitCode.OK);
        worker.start();
        if (web != null) {
            lifecycle.add(QueueGauges.start(db, registry, Duration.ofSeconds(5)));
            try {
                lifecycle.add(WebServer.start(web, queue, registry, worker));
            } catch (PortInUseException e) {
                throw UserException.failure(e.getMessage() + ": pick another with --http-port (0: any free port)");
            }
        }
        LOG.info(
                "working on queues {} with concurrency {} and a pool of {} connections; job types: {}",
                weights == null
                        ? String.join(", ", queues) + (queues.size() > 1 ? " (in that order)" : "")
                        : weights.entrySet().stream()
                                        .map(w -> w.getKey() + ":" + w.getValue())
                                        .collect(Collectors.joining(", "))
                                + " (weighted)",
                concurrency,
                pool,
                String.join(", ", handlers.stream().map(JobHandler::type).toList()));
        if (stopWhenEmpty) {
            awaitEmpty(queue, worker);
        }
        while (!worker.awaitTermination(Duration.ofSeconds(1))) {
            // parked until a limit, an empty queue or a signal stops the worker
        }
        return ExitCode.OK;
    }

    private void validate() {
        try { // the worker's own rules, in the options' names
            WorkerSettings.checkConcurrency("--concurrency", concurrency);
            WorkerSettings.checkNotNegative("--max-jobs", maxJobs);
            WorkerSettings.checkNotNegative("--memory", memoryMb);
            WorkerSettings.checkLease("--lease", lease);
            WorkerSettings.checkMaxResultBytes("--max-result-size", maxResultSize);
            retention.check();
        } catch (IllegalArgumentException e) {
            throw UserException.usage(e.getMessage());
        }
        if (poolSize != null && poolSize < 2) {
            throw UserException.usage("--pool-size must be at least 2, got " + poolSize);
        }
        parseQueues();
    }

    /** {@code mail,default} (strict) or {@code mail:3,default:1} (weighted; a queue without a weight weighs 1). */
    private void parseQueues() {
        Map<String, Integer> parsed = new LinkedHashMap<>();
        boolean anyWeight = false;
        for (String spec : queueSpecs) {
            String[] parts = spec.trim().split(":", -1);
            if (parts.length > 2 || parts[0].isBlank()) {
                throw UserException.usage(
                        "--queue takes names, or name:weight pairs, separated by commas, got '" + spec + "'");
            }
            int weight = 1;
            if (parts.length == 2) {
                anyWeight = true;
                try {
                    weight = Integer.parseInt(parts[1].trim());
                } catch (NumberFormatException e) {
                    weight = 0;
                }
                if (weight < 1 || weight > 1000) {
                    throw UserException.usage(
                            "a queue weight is a whole number from 1 to 1000, got '" + parts[1] + "' for " + parts[0]);
                }
            }
            try {
                NameRule.queue(parts[0].trim());
            } catch (IllegalArgumentException e) {
                throw UserException.usage("--queue: " + e.getMessage());
            }
            if (parsed.put(parts[0].trim(), weight) != null) {
                throw UserException.usage("--queue names " + parts[0].trim() + " twice");
            }
        }
        queues = List.copyOf(parsed.keySet());
        weights = anyWeight ? parsed : null;
    }

    /** The queue command handlers record their output through, once it is open. */
    private final AtomicReference<JobQueue> queueForOutputs = new AtomicReference<>();

    private List<JobHandler<?>> handlers() {
        Map<String, JobHandler<?>> byType = new LinkedHashMap<>();
        BuiltInHandlers.all().forEach(h -> byType.put(h.type(), h));
        if (plugins != null) {
            for (JobHandler<?> handler : PluginLoader.load(plugins)) {
                JobHandler<?> clash = byType.putIfAbsent(handler.type(), handler);
                if (clash != null) {
                    throw UserException.usage(
                            "plugin handler " + handler.getClass().getName() + " uses job type '" + handler.type()
                                    + "', already taken by " + clash.getClass().getName());
                }
            }
        }
        if (execSpecs == null && execUser != null) {
            throw UserException.usage("--exec-user applies to --exec commands, and none is given");
        }
        if (execSpecs != null) {
            List<ExecSpec> specs = new ArrayList<>();
            try {
                for (String spec : execSpecs) {
                    specs.add(ExecSpec.parse(spec, execTimeout));
                }
                ExecHandler.OutputSink outputs = (jobId, output) -> {
                    JobQueue open = queueForOutputs.get(); // set once the queue is open, before any job runs
                    if (open != null) {
                        open.recordOutput(jobId, output);
                    }
                };
                for (JobHandler<?> handler : ExecHandler.of(
                        specs, System.getenv(), execEnv == null ? List.of() : execEnv, execUser, outputs)) {
                    if (byType.putIfAbsent(handler.type(), handler) != null) {
                        throw UserException.usage("--exec " + handler.type() + ": the job type '" + handler.type()
                                + "' has a handler already (built in, a plugin's, or an earlier --exec)");
                    }
                }
            } catch (IllegalArgumentException e) {
                throw UserException.usage(e.getMessage());
            }
        }
        for (JobHandler<?> handler : byType.values()) { // before the worker is built: one line, not an exception
            try {
                NameRule.type(handler.type());
            } catch (IllegalArgumentException e) {
                throw UserException.usage("the handler " + handler.getClass().getName() + ": " + e.getMessage());
            }
        }
        return new ArrayList<>(byType.values());
    }

    private void awaitEmpty(JobQueue queue, Worker worker) throws Exception {
        while (worker.health() != Worker.Health.STOPPED) {
            Thread.sleep(500);
            long left;
            try {
                left = queue.unfinished(queues, worker.types()); // jobs of other types are other workers' to run
            } catch (DatabaseUnavailableException e) {
                continue; // an outage is the worker's to ride out, not a reason to stop
            }
            if (left == 0 && worker.currentJobs().isEmpty()) {
                String paused = pausedStopLine(queue);
                if (paused != null) {
                    LOG.info(paused);
                    worker.stop();
                    return;
                }
                LOG.info(
                        "queues {} hold no job of types {}: stopping{}",
                        String.join(", ", queues),
                        String.join(", ", worker.types()),
                        LeftBehind.note(queue, queues, worker.types()));
                worker.stop();
                return;
            }
        }
    }

    /** The stop line naming the paused queues that still hold jobs, or null (none, or the database is away). */
    private String pausedStopLine(JobQueue queue) {
        try {
            return PausedQueues.stopLine(queue.stats(), queues);
        } catch (SQLException e) {
            return null; // the plain stop line then: the worker stops either way
        }
    }

    /** Stops the worker gracefully when the command ends or the process is told to stop. */
    private record WorkerStopper(Worker worker, Duration patience) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            worker.stop();
            if (!worker.awaitTermination(patience)) {
                LOG.warn("worker did not stop within {} s", patience.toSeconds());
            }
        }

        @Override
        public String toString() {
            return "worker " + worker.id();
        }
    }
}
