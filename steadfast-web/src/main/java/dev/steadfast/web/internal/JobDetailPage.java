package dev.steadfast.web.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.queue.FailedJob;
import dev.steadfast.queue.JobAttempt;
import dev.steadfast.queue.JobOutput;
import dev.steadfast.queue.JobStatus;
import dev.steadfast.queue.JobView;
import dev.steadfast.queue.text.Redactor;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One job: payload pretty-printed, attempts, timestamps, last error with its stack trace. */
final class JobDetailPage {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JobDetailPage() {}

    static String render(JobView j, Optional<FailedJob> failure, String csrf, String flash) {
        return render(j, failure, List.of(), csrf, flash);
    }

    /** @param outputs what the job's command printed per attempt (jobs run by {@code work --exec}), or none */
    static String render(JobView j, Optional<FailedJob> failure, List<JobOutput> outputs, String csrf, String flash) {
        return render(j, failure, outputs, HandlerNotes.NONE, new HtmlWriter().fragment(), csrf, flash, null);
    }

    /**
     * @param notes     what the job's handler reported: progress, result, log
     * @param groupRows rows of the job's table naming the groups it belongs to (its batch: {@link BatchesPage#jobRows})
     * @param workflow  the workflow the job is a step of (its id and the step's name), or null
     */
    static String render(
            JobView j,
            Optional<FailedJob> failure,
            List<JobOutput> outputs,
            HandlerNotes notes,
            HtmlWriter.Fragment groupRows,
            String csrf,
            String flash,
            Map.Entry<Long, String> workflow) {
        HtmlWriter b = new HtmlWriter();
        if (flash != null && !flash.isBlank()) {
            b.element("div", flash, "class", "flash", "id", "flash");
        }
        b.add(actions(j, csrf));
        notes.progress(b);
        b.open("div", "class", "scroll").open("table", "id", "job");
        row(b, "Queue", j.queue());
        row(b, "Type", j.type());
        if (workflow != null) {
            b.open("tr")
                    .element("th", "Workflow")
                    .open("td")
                    .element("a", "workflow " + workflow.getKey(), "href", "/workflows/" + workflow.getKey())
                    .text(", step " + workflow.getValue())
                    .close("td")
                    .close("tr");
        }
        b.open("tr")
                .element("th", "State")
                .open("td")
                .element(
                        "span",
                        j.status().text(),
                        "class",
                        "state-" + j.status().text())
                .close("td")
                .close("tr");
        row(b, "Attempts", j.attempts() + " of " + j.maxAttempts());
        row(b, "Priority", j.priority());
        row(b, "Unique key", j.uniqueKey());
        timeRow(b, "Created", j.createdAt());
        timeRow(b, "Run at", j.runAt());
        timeRow(b, "Updated", j.updatedAt());
        timeRow(b, "Finished", j.finishedAt());
        if (j.status() == JobStatus.RUNNING) {
            row(b, "Worker", j.leaseOwner());
        } else if (!j.history().isEmpty()) {
            row(b, "Last attempt on", j.history().get(j.history().size() - 1).worker());
        }
        b.add(groupRows).close("table").close("div");
        history(b, j);
        output(b, outputs);
        notes.sections(b);
        b.element("h2", "Payload");
        // redacted before it is cut: half a secret would no longer match its pattern or its value
        String payload = j.payload() == null ? "" : Redactor.process().redact(j.payload());
        String download = "/jobs/" + j.id() + "/payload";
        if (j.payload() != null && j.payload().length() > Dashboard.SHOWN_CHARS) {
            b.open("p", "class", "muted", "id", "payload-truncated")
                    .text("The payload is larger than " + Dashboard.SHOWN_CHARS / 1024
                            + " KB: its beginning is shown. ")
                    .element("a", "Download the whole payload", "href", download)
                    .text(".")
                    .close("p")
                    .element(
                            "pre",
                            payload.substring(0, Math.min(payload.length(), Dashboard.SHOWN_CHARS)),
                            "id",
                            "payload");
        } else {
            b.element("pre", pretty(payload), "id", "payload")
                    .open("p")
                    .element("a", "Download", "href", download)
                    .close("p");
        }
        if (j.lastError() != null) {
            b.element("h2", "Last error").element("pre", cap(j.lastError()), "id", "last-error");
        }
        failure.ifPresent(f -> {
            b.element("h2", "Failed")
                    .open("p")
                    .text("Failed for good at " + Html.time(f.failedAt()) + " on worker "
                            + (f.worker() == null ? "" : f.worker()) + ". ")
                    .add(csrf == null ? new HtmlWriter().fragment() : FailedPage.actions(f.id(), csrf))
                    .close("p");
            if (f.stackTrace() != null) {
                b.element("pre", cap(f.stackTrace()), "id", "stack-trace");
            }
        });
        return Layout.livePage("Job " + j.id(), "", b.fragment());
    }

    /**
     * Retry and forget for a failed job; run now for a scheduled one; cancel for a waiting or running one; delete for
     * any job that is not running.
     */
    private static HtmlWriter.Fragment actions(JobView j, String csrf) {
        if (csrf == null) {
            return new HtmlWriter().fragment();
        }
        HtmlWriter b = new HtmlWriter().open("p", "class", "job-actions");
        JobStatus status = j.status();
        if (status == JobStatus.SCHEDULED) {
            b.add(button("/jobs/" + j.id() + "/run-now", "Run now", "primary", csrf))
                    .text(" ");
        }
        if (status.cancellable()) {
            b.add(button(
                            "/jobs/" + j.id() + "/cancel",
                            status == JobStatus.RUNNING ? "Ask to stop (cancel)" : "Cancel",
                            "danger",
                            csrf))
                    .text(" ");
        }
        if (status != JobStatus.RUNNING && status != JobStatus.FAILED) {
            b.add(button("/jobs/" + j.id() + "/delete", "Delete", "danger", csrf));
        }
        return b.close("p").fragment();
    }

    private static HtmlWriter.Fragment button(String action, String label, String style, String csrf) {
        return new HtmlWriter()
                .open("form", "class", "inline", "method", "post", "action", action)
                .empty("input", "type", "hidden", "name", "csrf", "value", csrf)
                .element("button", label, "class", style)
                .close("form")
                .fragment();
    }

    /** Every finished attempt: when, how long, where, how it ended. */
    /** Each attempt's stdout and stderr as the worker kept them, redacted like everything the dashboard shows. */
    private static void output(HtmlWriter b, List<JobOutput> outputs) {
        if (outputs.isEmpty()) {
            return;
        }
        b.element("h2", "Output").open("div", "id", "output");
        for (JobOutput o : outputs) {
            b.element(
                    "h3",
                    "Attempt " + o.attempt() + ": "
                            + (o.exitStatus() == null ? "stopped before it ended" : "exit status " + o.exitStatus())
                            + " (" + o.stdoutBytes() + " bytes of stdout, " + o.stderrBytes() + " of stderr)");
            if (!o.stdout().isEmpty()) {
                b.element("pre", Redactor.process().redact(o.stdout()), "class", "stdout");
            }
            if (!o.stderr().isEmpty()) {
                b.element("pre", Redactor.process().redact(o.stderr()), "class", "stderr");
            }
        }
        b.close("div");
    }

    /** Why the attempt durations here are longer than the worker log's. */
    static final String CLAIM_TO_OUTCOME =
            "from the claim to the recorded outcome, so it includes any wait for a free thread"
                    + " and the writing of the outcome; the worker's log line for the attempt gives the handler's own run time.";

    private static void history(HtmlWriter b, JobView j) {
        if (j.history().isEmpty()) {
            return;
        }
        b.element("h2", "Attempts")
                .open("div", "class", "scroll")
                .open("table", "id", "history")
                .open("tr")
                .element("th", "#", "class", "num")
                .element("th", "Started")
                .element("th", "Claim to outcome", "class", "num", "title", CLAIM_TO_OUTCOME)
                .element("th", "Worker")
                .element("th", "Outcome")
                .element("th", "Error")
                .close("tr");
        for (JobAttempt a : j.history()) {
            String outcome = a.outcome() == null ? "" : a.outcome();
            b.open("tr")
                    .element("td", a.number(), "class", "num")
                    .open("td")
                    .add(Html.timeElement(a.startedAt()))
                    .close("td")
                    .element(
                            "td",
                            a.duration() == null ? "" : Html.num(a.duration().toMillis()) + " ms",
                            "class",
                            "num")
                    .element("td", a.worker())
                    .element(
                            "td",
                            outcome,
                            "class",
                            outcome.equals("succeeded")
                                    ? "state-succeeded"
                                    : outcome.equals("failed") ? "state-failed" : null)
                    .element("td", JobsPage.abbreviate(a.error()))
                    .close("tr");
        }
        b.close("table")
                .close("div")
                .element("p", "Claim to outcome: " + CLAIM_TO_OUTCOME, "class", "muted", "id", "history-note");
    }

    private static void timeRow(HtmlWriter b, String label, Instant value) {
        b.open("tr")
                .element("th", label)
                .open("td")
                .add(Html.timeElement(value))
                .close("td")
                .close("tr");
    }

    private static void row(HtmlWriter b, String label, Object value) {
        b.open("tr").element("th", label).element("td", value).close("tr");
    }

    private static String cap(String raw) {
        String text = Redactor.process().redact(raw);
        return text.length() > Dashboard.SHOWN_CHARS
                ? text.substring(0, Dashboard.SHOWN_CHARS) + "\n[... cut at 64 KB]"
                : text;
    }

    static String pretty(String json) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(json));
        } catch (Exception e) {
            return json;
        }
    }
}
