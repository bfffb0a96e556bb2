package dev.steadfast.cli.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.cli.DurationConverter;
import dev.steadfast.cli.UserException;
import dev.steadfast.queue.notify.LogNotifier;
import dev.steadfast.queue.notify.NotificationDispatcher;
import dev.steadfast.queue.notify.NotificationPolicy;
import dev.steadfast.queue.notify.Notifier;
import dev.steadfast.queue.notify.WebhookFormat;
import dev.steadfast.queue.notify.WebhookNotifier;
import dev.steadfast.queue.text.Redactor;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * Notification settings of {@code steadfast work}, from flags or a JSON file ({@code --notify-config});
 * flags win. The webhook URL usually holds a token, so it can also come from {@code STEADFAST_WEBHOOK_URL}
 * or the file instead of the command line (where {@code ps} would show it).
 *
 * <pre>{@code
 * {"notifiers": [{"type": "log"}, {"type": "webhook", "url": "https://oapi.dingtalk.com/robot/send?access_token=...",
 *                 "format": "dingtalk"}],
 *  "databaseDownAfter": "60s", "window": "60s", "maxPerMinute": 20}
 * }</pre>
 */
public final class NotifyOptions {
    private static final Logger LOG = LoggerFactory.getLogger(NotifyOptions.class);

    @Option(
            names = "--notify",
            split = ",",
            paramLabel = "log|webhook",
            description =
                    "Where to send notifications (job failed for good, database down/back): log, webhook, or both.")
    List<String> notifiers;

    @Option(
            names = "--webhook-url",
            defaultValue = "${env:STEADFAST_WEBHOOK_URL}",
            paramLabel = "URL",
            description = "Webhook to POST notifications to (env STEADFAST_WEBHOOK_URL).")
    String webhookUrl;

    @Option(
            names = "--webhook-format",
            paramLabel = "FORMAT",
            description = "Body of the webhook POST: generic, slack, dingtalk, wecom or feishu (default: generic).")
    String webhookFormat;

    @Option(
            names = "--notify-db-down-after",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "Notify when the database stays unreachable this long (default: 60s).")
    Duration databaseDownAfter;

    @Option(
            names = "--notify-window",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "Identical notifications within this window become one message with a count (default: 60s).")
    Duration window;

    @Option(
            names = "--notify-max-per-minute",
            paramLabel = "N",
            description = "Send at most N messages a minute (default: 20).")
    Integer maxPerMinute;

    @Option(names = "--notify-config", paramLabel = "FILE", description = "JSON file with notifiers and limits.")
    Path configFile;

    /** The dispatcher, or null when no notifier is configured. */
    public NotificationDispatcher dispatcher(Supplier<Redactor> redactor, Clock clock) {
        if (webhookUrl != null && !webhookUrl.equals(System.getenv("STEADFAST_WEBHOOK_URL"))) {
            Redactor.registerSecret(webhookUrl.trim());
            LOG.warn("--webhook-url shows the webhook's credential in 'ps' to every user of this machine: pass it in"
                    + " STEADFAST_WEBHOOK_URL or \"url\" in --notify-config instead");
        }
        JsonNode file = readConfig();
        List<Notifier> built = new ArrayList<>();
        if (notifiers != null) {
            for (String name : notifiers) {
                built.add(notifier(
                        name.trim().toLowerCase(Locale.ROOT),
                        webhookUrl,
                        webhookFormat != null
                                ? webhookFormat
                                : file.path("webhookFormat").asText("generic")));
            }
        } else {
            for (JsonNode spec : file.path("notifiers")) {
                built.add(notifier(
                        spec.path("type").asText(""),
                        spec.path("url").asText(null),
                        spec.path("format").asText("generic")));
            }
        }
        if (built.isEmpty()) {
            if (webhookUrl != null && notifiers == null && configFile == null) {
                built.add(notifier("webhook", webhookUrl, webhookFormat != null ? webhookFormat : "generic"));
            } else {
                return null;
            }
        }
        NotificationPolicy defaults = NotificationPolicy.DEFAULT;
        try {
            NotificationPolicy policy = new NotificationPolicy(
                    databaseDownAfter != null
                            ? databaseDownAfter
                            : duration(file, "databaseDownAfter", defaults.databaseDownAfter()),
                    window != null ? window : duration(file, "window", defaults.window()),
                    maxPerMinute != null
                            ? maxPerMinute
                            : file.path("maxPerMinute").asInt(defaults.maxPerMinute()));
            return new NotificationDispatcher(built, policy, redactor, clock);
        } catch (IllegalArgumentException e) {
            throw UserException.usage(e.getMessage());
        }
    }

    private Notifier notifier(String type, String url, String format) {
        switch (type) {
            case "log" -> {
                return new LogNotifier();
            }
            case "webhook" -> {
                if (url == null || url.isBlank()) {
                    throw UserException.usage(
                            "the webhook notifier needs a URL: --webhook-url, STEADFAST_WEBHOOK_URL or \"url\" in --notify-config");
                }
                Redactor.registerSecret(url.trim()); // its path or query is the robot's credential
                URI uri;
                try {
                    uri = URI.create(url.trim());
                } catch (IllegalArgumentException e) {
                    throw UserException.usage("webhook URL " + Redactor.safeUrl(url) + " is not a URL");
                }
                if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
                    throw UserException.usage(
                            "webhook URL must be http:// or https:// with a host, got " + Redactor.safeUrl(url));
                }
                try {
                    return new WebhookNotifier(uri, WebhookFormat.parse(format));
                } catch (IllegalArgumentException e) {
                    throw UserException.usage(e.getMessage());
                }
            }
            default -> throw UserException.usage("unknown notifier '" + type + "' (use log or webhook)");
        }
    }

    private JsonNode readConfig() {
        if (configFile == null) {
            return new ObjectMapper().createObjectNode();
        }
        try {
            return new ObjectMapper().readTree(configFile.toFile());
        } catch (IOException e) {
            throw UserException.usage("cannot read --notify-config " + configFile + ": "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static Duration duration(JsonNode file, String field, Duration fallback) {
        JsonNode value = file.get(field);
        if (value == null) {
            return fallback;
        }
        try {
            return DurationConverter.parse(value.asText());
        } catch (RuntimeException e) {
            throw UserException.usage("--notify-config: " + field + " " + e.getMessage());
        }
    }
}
