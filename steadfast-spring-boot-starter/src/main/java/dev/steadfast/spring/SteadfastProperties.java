package dev.steadfast.spring;

import dev.steadfast.queue.NameRule;
import dev.steadfast.queue.WorkerSettings;
import dev.steadfast.queue.notify.NotificationPolicy;
import dev.steadfast.queue.notify.WebhookFormat;
import dev.steadfast.queue.text.Redactor;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Steadfast's settings under {@code steadfast.*}; the database itself comes from {@code spring.datasource.url},
 * {@code username} and {@code password} (a MariaDB or MySQL URL), the pool's size from {@code spring.datasource.hikari.*}.
 *
 * @param migrate    apply Steadfast's schema (the {@code sf_} tables) at startup; false where migrations run elsewhere
 *                   ({@code steadfast migrate} in a deployment step), then the schema must be current
 * @param datasource how the application's own data access uses the resilient pool
 * @param worker     the worker that runs in this application
 * @param publishEvents publish the worker's events (jobs started and finished, database down and up) as Spring
 *                   application events, for {@code @EventListener} methods (notifications, audit)
 * @param exitZeroOnSigterm end the process with status 0 after a SIGTERM once the application has shut down
 *                   gracefully (the JVM's own is 143), so that supervisors and deploy tools see a clean stop
 * @param notifications where the worker reports jobs that failed for good and database outages
 * @param dashboard  the dashboard mounted in the application
 */
@ConfigurationProperties("steadfast")
public record SteadfastProperties(
        @DefaultValue("true") boolean migrate,
        @DefaultValue Datasource datasource,
        @DefaultValue Worker worker,
        @DefaultValue("true") boolean publishEvents,
        @DefaultValue("true") boolean exitZeroOnSigterm,
        @DefaultValue Notifications notifications,
        @DefaultValue Dashboard dashboard) {

    /**
     * The dashboard in the application's own servlet container (it needs {@code dev.steadfast:steadfast-web} on the
     * class path), behind the application's own security: its filters decide who reaches the path. Metrics and probes
     * stay the actuator's.
     *
     * @param enabled  mount it
     * @param path     where: {@code /steadfast}, {@code /ops/queue}
     * @param readOnly show no actions (retry, delete, pause, cancel) and refuse them
     */
    public record Dashboard(
            @DefaultValue("false") boolean enabled,
            @DefaultValue("/steadfast") String path,
            @DefaultValue("false") boolean readOnly) {
        public Dashboard {
            if (!path.matches("(/[A-Za-z0-9._~-]+)+")) {
                throw new IllegalArgumentException(
                        "steadfast.dashboard.path must be a plain path like /steadfast or /ops/queue," + " got '" + path
                                + "'");
            }
        }
    }

    /**
     * The worker's notifications, as {@code steadfast work --notify} sends them: a job that failed for good
     * (aggregated per type within the window), a database unreachable for longer than a threshold and its return;
     * every text redacted (the datasource's password, the webhook's URL, secret-looking parameters).
     *
     * @param log               write each notification to the log
     * @param webhookUrl        POST each to this http(s) URL (a chat robot's URL is its credential: it is redacted)
     * @param webhookFormat     the body: generic, slack, dingtalk, wecom or feishu
     * @param databaseDownAfter how long the database must be unreachable before it is reported
     * @param window            failures of one job type within it are sent as one message
     * @param maxPerMinute      messages per minute at most, whatever their kind
     */
    public record Notifications(
            @DefaultValue("false") boolean log,
            URI webhookUrl,
            @DefaultValue("generic") String webhookFormat,
            @DefaultValue("60s") Duration databaseDownAfter,
            @DefaultValue("60s") Duration window,
            @DefaultValue("20") int maxPerMinute) {
        public Notifications {
            if (webhookUrl != null
                    && (webhookUrl.getScheme() == null
                            || !webhookUrl.getScheme().matches("https?")
                            || webhookUrl.getHost() == null)) {
                throw new IllegalArgumentException(
                        "steadfast.notifications.webhook-url must be an http:// or https:// URL with a host," + " got "
                                + Redactor.safeUrl(webhookUrl.toString()));
            }
            try {
                WebhookFormat.parse(webhookFormat);
                // the parameters, not policy(): a compact constructor runs before the fields are assigned
                new NotificationPolicy(databaseDownAfter, window, maxPerMinute);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("steadfast.notifications: " + e.getMessage(), e);
            }
        }

        /** Whether anything is to be sent. */
        public boolean enabled() {
            return log || webhookUrl != null;
        }

        /** The thresholds as the dispatcher takes them. */
        public NotificationPolicy policy() {
            return new NotificationPolicy(databaseDownAfter, window, maxPerMinute);
        }
    }

    /**
     * @param primary make the resilient pool the application's {@code DataSource} (JdbcTemplate, JPA and Spring's
     *                transactions borrow through its liveness check); false keeps Spring Boot's own pool for the
     *                application and gives Steadfast a pool of its own on the same database
     */
    public record Datasource(@DefaultValue("true") boolean primary) {}

    /**
     * The worker's settings; defaults and rules are {@link WorkerSettings}'s, as for {@code steadfast work} and
     * {@code Worker.builder}.
     *
     * @param enabled       run a worker in this application (false on web-only nodes: they enqueue, others work)
     * @param queues        the queues to claim from, in order
     * @param concurrency   jobs run at once (default 4, as for {@code steadfast work}; the pool,
     *                      {@code spring.datasource.hikari.maximum-pool-size}, 10 by default, needs a connection per job
     *                      thread for transactional handlers plus a few for the worker's claims and heartbeats)
     * @param lease         how long a claimed job stays this worker's without a heartbeat (renewed at a third of it; at least 1 s)
     * @param shutdownGrace how long running jobs may go on at shutdown before they are interrupted and released
     * @param pollMin       the shortest idle poll interval
     * @param pollMax       the longest idle poll interval
     * @param retention     how long succeeded and cancelled jobs are kept
     * @param maxResultSize the largest result a job may return ({@code JobContext.result}, {@code
     *                      JobHandler.returning}; JSON, default 64KB, at most 16MB); a larger one fails its job without
     *                      a retry, as {@code steadfast work --max-result-size}
     */
    public record Worker(
            @DefaultValue("true") boolean enabled,
            @DefaultValue(WorkerSettings.DEFAULT_QUEUE) List<String> queues,

            @DefaultValue(WorkerSettings.DEFAULT_CONCURRENCY_TEXT)
            int concurrency,

            @DefaultValue(WorkerSettings.DEFAULT_LEASE_TEXT) Duration lease,

            @DefaultValue(WorkerSettings.DEFAULT_SHUTDOWN_GRACE_TEXT)
            Duration shutdownGrace,

            @DefaultValue(WorkerSettings.DEFAULT_POLL_MIN_TEXT)
            Duration pollMin,

            @DefaultValue(WorkerSettings.DEFAULT_POLL_MAX_TEXT)
            Duration pollMax,

            @DefaultValue(WorkerSettings.DEFAULT_RETENTION_TEXT)
            Duration retention,

            @DefaultValue("64KB") DataSize maxResultSize) {
        private static final String PREFIX = "steadfast.worker.";

        /** Settings with the default result size limit (as before {@code max-result-size}). */
        public Worker(
                boolean enabled,
                List<String> queues,
                int concurrency,
                Duration lease,
                Duration shutdownGrace,
                Duration pollMin,
                Duration pollMax,
                Duration retention) {
            this(
                    enabled,
                    queues,
                    concurrency,
                    lease,
                    shutdownGrace,
                    pollMin,
                    pollMax,
                    retention,
                    DataSize.ofBytes(WorkerSettings.DEFAULT_MAX_RESULT_BYTES));
        }

        @ConstructorBinding // the canonical one: the other keeps code that built these settings compiling
        public Worker {
            queues = List.copyOf(queues);
            if (queues.isEmpty()) {
                throw new IllegalArgumentException(PREFIX + "queues must name 1 or more queues, got none");
            }
            // checked here, when bound, so a bad value is reported before any wait for the database
            for (String queue : queues) {
                try {
                    NameRule.queue(queue);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(PREFIX + "queues: " + e.getMessage(), e);
                }
            }
            WorkerSettings.checkConcurrency(PREFIX + "concurrency", concurrency);
            WorkerSettings.checkLease(PREFIX + "lease", lease);
            WorkerSettings.checkNotNegative(PREFIX + "shutdown-grace", shutdownGrace);
            WorkerSettings.checkPollInterval(PREFIX + "poll-min", pollMin, PREFIX + "poll-max", pollMax);
            WorkerSettings.checkRetention(PREFIX + "retention", retention);
            WorkerSettings.checkMaxResultBytes(PREFIX + "max-result-size", (int)
                    Math.min(Integer.MAX_VALUE, Math.max(Integer.MIN_VALUE, maxResultSize.toBytes())));
        }

        /** {@link #maxResultSize} in bytes (checked to fit). */
        public int maxResultBytes() {
            return (int) maxResultSize.toBytes();
        }
    }
}
