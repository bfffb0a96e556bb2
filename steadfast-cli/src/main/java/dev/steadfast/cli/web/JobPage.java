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
        HtmlWriter b = new HtmlWriter().open("table", "id", "job");
        row(b, "Queue", j.queue());
        row(b, "Type", j.type());
        b.open("tr").element("th", "State").open("td").element("span", j.state(), "class", "state-" + j.state()).close("td").close("tr");
        row(b, "Attempts", j.attempts() + " of " + j.maxAttempts());
        row(b, "Priority", j.priority());
        row(b, "Unique key", j.uniqueKey());
        row(b, "Created", Html.time(j.createdAt()));
        row(b, "Run at", Html.time(j.runAt()));
        row(b, "Updated", Html.time(j.updatedAt()));
        row(b, "Finished", Html.time(j.finishedAt()));
        row(b, "Worker", j.leaseOwner());
        b.close("table").element("h2", "Payload");
        // redacted before it is cut: half a secret would no longer match its pattern or its value
        String payload = j.payload() == null ? "" : Redactor.process().redact(j.payload());
        String download = "/jobs/" + j.id() + "/payload";
        if (j.payload() != null && j.payload().length() > Dashboard.SHOWN_CHARS) {
            b.open("p", "class", "muted", "id", "payload-truncated")
                    .text("The payload is larger than " + Dashboard.SHOWN_CHARS / 1024 + " KB: its beginning is shown. ")
                    .element("a", "Download the whole payload", "href", download).text(".").close("p")
                    .element("pre", payload.substring(0, Math.min(payload.length(), Dashboard.SHOWN_CHARS)), "id", "payload");
        } else {
            b.element("pre", pretty(payload), "id", "payload").open("p").element("a", "Download", "href", download).close("p");
        }
        if (j.lastError() != null) {
            b.element("h2", "Last error").element("pre", cap(j.lastError()), "id", "last-error");
        }
        failure.ifPresent(f -> {
            b.element("h2", "In the failed-job log").open("p").text("Failed for good at " + Html.time(f.failedAt())
                    + " on worker " + (f.worker() == null ? "" : f.worker()) + ". ").add(FailedPage.actions(f.id(), csrf)).close("p");
            if (f.stackTrace() != null) {
                b.element("pre", cap(f.stackTrace()), "id", "stack-trace");
            }
        });
        return Layout.page("Job " + j.id(), "", b.fragment());
    }

    private static void row(HtmlWriter b, String label, Object value) {
        b.open("tr").element("th", label).element("td", value).close("tr");
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
