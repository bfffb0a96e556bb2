package dev.steadfast.queue.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.queue.text.Redactor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/** POSTs each notification as JSON to a URL. */
public final class WebhookNotifier implements Notifier {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI url;
    private final WebhookFormat format;
    private final HttpClient client;
    private final ObjectMapper mapper = new ObjectMapper();

    public WebhookNotifier(URI url, WebhookFormat format) {
        this.url = url;
        this.format = format;
        this.client = HttpClient.newBuilder()
                .connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public void send(Notification notification) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "steadfast")
                .POST(HttpRequest.BodyPublishers.ofString(format.body(notification, mapper), StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            String body = response.body();
            throw new IOException("webhook " + describe() + " answered HTTP " + response.statusCode()
                    + (body == null || body.isBlank() ? "" : ": " + body.substring(0, Math.min(200, body.length()))));
        }
    }

    @Override
    public String describe() {
        return format.name().toLowerCase(Locale.ROOT) + " webhook " + Redactor.safeUrl(url.toString());
    }
}
