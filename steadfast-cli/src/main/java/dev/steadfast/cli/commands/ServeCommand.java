package dev.steadfast.cli.commands;

import dev.steadfast.cli.ExitCode;
import dev.steadfast.cli.Lifecycle;
import dev.steadfast.cli.UserException;
import dev.steadfast.cli.web.PortInUseException;
import dev.steadfast.cli.web.WebOptions;
import dev.steadfast.cli.web.WebServer;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.metrics.QueueGauges;
import dev.steadfast.web.WebSettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code steadfast serve}: the dashboard, metrics and health probes. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serve the dashboard, Prometheus metrics (/metrics) and probes (/healthz, /readyz).",
            "Jobs, failed jobs with retry and forget, workers and connection health. Binds 127.0.0.1 unless told otherwise;"
                    + " any other address needs a token (STEADFAST_UI_TOKEN or --token-file)."
        })
public final class ServeCommand extends DatabaseCommand {

    @Option(
            names = "--bind",
            paramLabel = "HOST",
            defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "8080",
            description = "Port (default: ${DEFAULT-VALUE}; 0 for any free port).")
    int port;

    @Option(
            names = "--token-file",
            paramLabel = "FILE",
            description = "File holding the dashboard token (otherwise STEADFAST_UI_TOKEN).")
    Path tokenFile;

    @Option(
            names = "--public-host",
            split = ",",
            paramLabel = "NAME",
            description =
                    "Host names the dashboard answers to besides the bind address and localhost (behind a proxy: its public name).")
    List<String> publicHosts = List.of();

    @Option(
            names = "--read-only",
            description = "No actions (retry, forget, delete, run now): pages show no buttons, and the"
                    + " database user needs only SELECT rights.")
    boolean readOnly;

    @Option(
            names = "--base-path",
            paramLabel = "PATH",
            defaultValue = "",
            description =
                    "Serve under this path, as a reverse proxy forwards it (/steadfast): links and redirects carry it;"
                            + " /healthz and /readyz answer at the root too.")
    String basePath;

    @Option(
            names = "--trust-proxy",
            split = ",",
            paramLabel = "ADDRESS",
            description = "IP address of a reverse proxy in front: its X-Forwarded-For names the client, so the login"
                    + " throttle holds back one guessing client, not everyone behind the proxy.")
    List<String> trustedProxies = List.of();

    @Override
    int run(Lifecycle lifecycle) throws Exception {
        WebSettings options = WebOptions.trustingProxies(
                WebOptions.settings(bind, port, tokenFile, publicHosts, basePath), trustedProxies);
        WebSettings settings = readOnly ? options.withoutActions() : options;
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // read-only: no commit markers, so nothing in the database is created or written
        JobQueue queue = openQueue(lifecycle, registry, b -> b.commitMarkers(!readOnly));
        lifecycle.add(QueueGauges.start(queue.database(), registry, Duration.ofSeconds(5)));
        WebServer web;
        try {
            web = lifecycle.add(WebServer.start(settings, queue, registry, null));
        } catch (PortInUseException e) {
            throw UserException.failure(e.getMessage() + ": pick another with --port (0: any free port)");
        }
        out().println("dashboard: http://" + settings.bind() + ":" + web.port() + settings.basePath() + "/");
        out().flush();
        lifecycle.exitCodeOnSignal(() -> ExitCode.OK);
        Thread.currentThread().join(); // until SIGTERM/SIGINT
        return ExitCode.OK;
    }
}
