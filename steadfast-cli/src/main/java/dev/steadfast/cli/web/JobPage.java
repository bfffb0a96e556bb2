package dev.steadfast.cli.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.cli.Redactor;
import dev.steadfast.queue.FailedJob;
import dev.steadfast.queue.JobView;

import java.util.Optional;

/** One job: payload pretty-printed, attempts, timestamps, last error with its stack trace. */
final class JobPage {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JobPage() {
    }

    static String render(JobView j, Optional<FailedJob> failure, String csrf) {
        StringBuilder b = new StringBuilder("<table id=\"job\">");
        row(b, "Queue", Html.esc(j.queue()));
        row(b, "Type", Html.esc(j.type()));
        row(b, "State", "<span class=\"state-" + Html.esc(j.state()) + "\">" + Html.esc(j.state()) + "</span>");
        row(b, "Attempts", j.attempts() + " of " + j.maxAttempts());
        row(b, "Priority", Integer.toString(j.priority()));
        row(b, "Unique key", Html.esc(j.uniqueKey()));
        row(b, "Created", Html.time(j.createdAt()));
        row(b, "Run at", Html.time(j.runAt()));
        row(b, "Updated", Html.time(j.updatedAt()));
        row(b, "Finished", Html.time(j.finishedAt()));
        row(b, "Worker", Html.esc(j.leaseOwner()));
        b.append("</table><h2>Payload</h2>");
        // redacted before it is cut: half a secret would no longer match its pattern or its value
        String payload = j.payload() == null ? "" : Redactor.process().redact(j.payload());
        if (j.payload() != null && j.payload().length() > Dashboard.SHOWN_CHARS) {
            b.append("<p class=\"muted\" id=\"payload-truncated\">The payload is larger than ").append(Dashboard.SHOWN_CHARS / 1024)
                    .append(" KB: its beginning is shown. <a href=\"/jobs/").append(j.id()).append("/payload\">Download the whole payload</a>.</p>")
                    .append("<pre id=\"payload\">").append(Html.esc(payload.substring(0, Math.min(payload.length(), Dashboard.SHOWN_CHARS)))).append("</pre>");
        } else {
            b.append("<pre id=\"payload\">").append(Html.esc(pretty(payload))).append("</pre>")
                    .append("<p><a href=\"/jobs/").append(j.id()).append("/payload\">Download</a></p>");
        }
        if (j.lastError() != null) {
            b.append("<h2>Last error</h2><pre id=\"last-error\">").append(Html.esc(cap(j.lastError()))).append("</pre>");
        }
        failure.ifPresent(f -> {
            b.append("<h2>In the failed-job log</h2><p>Failed for good at ").append(Html.time(f.failedAt()))
                    .append(" on worker ").append(Html.esc(f.worker())).append(". ")
                    .append(FailedPage.actions(f.id(), csrf)).append("</p>");
            if (f.stackTrace() != null) {
                b.append("<pre id=\"stack-trace\">").append(Html.esc(cap(f.stackTrace()))).append("</pre>");
            }
        });
        return Layout.page("Job " + j.id(), "", b.toString());
    }

    private static void row(StringBuilder b, String label, String html) {
        b.append("<tr><th>").append(label).append("</th><td>").append(html).append("</td></tr>");
    }

    private static String cap(String raw) {
        String text = Redactor.process().redact(raw);
        return text.length() > Dashboard.SHOWN_CHARS ? text.substring(0, Dashboard.SHOWN_CHARS) + "\n[... cut at 64 KB]" : text;
    }

    static String pretty(String json) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(json));
        } catch (Exception e) {
            return json;
        }
    }
}
