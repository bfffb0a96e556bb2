package dev.steadfast.web.internal;

import dev.steadfast.queue.JobLog;
import dev.steadfast.queue.JobProgress;
import dev.steadfast.queue.text.Redactor;
import java.util.List;

/**
 * What a job's handler left besides its outcome, as the job's page shows it: its latest progress (a bar and its
 * message), its result (pretty JSON) and what it logged per attempt, all masked like everything the dashboard shows.
 *
 * @param result   the result's JSON, or null
 * @param progress the latest progress, or null
 * @param logs     what each attempt logged
 */
record HandlerNotes(String result, JobProgress progress, List<JobLog> logs) {
    static final HandlerNotes NONE = new HandlerNotes(null, null, List.of());

    HandlerNotes {
        logs = logs == null ? List.of() : List.copyOf(logs);
    }

    /** The progress bar and its message, above the job's table. */
    void progress(HtmlWriter b) {
        if (progress == null) {
            return;
        }
        String percent = Math.round(progress.fraction() * 1000) / 10.0 + "%";
        b.open("p", "id", "progress")
                .open("progress", "max", "1", "value", Double.toString(progress.fraction()), "title", percent)
                .text(percent)
                .close("progress")
                .text(" " + percent
                        + (progress.message() == null
                                ? ""
                                : ": " + Redactor.process().redact(progress.message())))
                .text(" (")
                .add(Html.timeElement(progress.updatedAt()))
                .text(")")
                .close("p");
    }

    /** The result and the logs, after the attempts. */
    void sections(HtmlWriter b) {
        if (result != null) {
            b.element("h2", "Result")
                    .element("pre", JobDetailPage.pretty(Redactor.process().redact(result)), "id", "result");
        }
        if (logs.isEmpty()) {
            return;
        }
        b.element("h2", "Log").open("div", "id", "log");
        for (JobLog l : logs) {
            b.element("h3", "Attempt " + l.attempt() + " (" + l.bytes() + " bytes logged)")
                    .element("pre", Redactor.process().redact(l.text()), "class", "log");
        }
        b.close("div");
    }
}
