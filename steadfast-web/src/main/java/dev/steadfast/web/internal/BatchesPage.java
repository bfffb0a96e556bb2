package dev.steadfast.web.internal;

import dev.steadfast.queue.BatchState;
import dev.steadfast.queue.BatchView;
import java.util.List;
import java.util.Optional;

/**
 * Batches: the list (newest first, a page at a time) with each batch's progress, one batch with its counts, progress
 * bar, callbacks and actions (cancel, retry failed members, close), and the rows of a job's page naming its batch.
 */
final class BatchesPage {
    static final int PAGE = 50;

    private BatchesPage() {}

    /** @param next the {@code before} of the next page, or null on the last */
    static String list(List<BatchView> batches, Long next, String flash) {
        HtmlWriter b = new HtmlWriter();
        if (flash != null && !flash.isBlank()) {
            b.element("div", flash, "class", "flash", "id", "flash");
        }
        b.open("div", "class", "scroll").open("table", "id", "batches").open("tr");
        for (String heading : new String[] {
            "Batch",
            "Description",
            "State",
            "Progress",
            "Total",
            "Pending",
            "Running",
            "Succeeded",
            "Failed",
            "Cancelled",
            "Created",
            "Finished"
        }) {
            b.element("th", heading);
        }
        b.close("tr");
        for (BatchView v : batches) {
            b.open("tr")
                    .open("td")
                    .element("a", v.id(), "href", "/batches/" + v.id())
                    .close("td")
                    .element("td", v.description() == null ? "" : v.description())
                    .open("td")
                    .add(state(v))
                    .close("td")
                    .open("td")
                    .add(bar(v))
                    .close("td")
                    .element("td", v.total())
                    .element("td", v.pending())
                    .element("td", v.running())
                    .element("td", v.succeeded())
                    .element("td", v.failed())
                    .element("td", v.cancelled())
                    .element("td", Html.time(v.createdAt()))
                    .element("td", Html.time(v.finishedAt()))
                    .close("tr");
        }
        if (batches.isEmpty()) {
            b.open("tr")
                    .element("td", "no batches", "colspan", "12", "class", "muted")
                    .close("tr");
        }
        b.close("table").close("div");
        if (next != null) {
            b.open("p")
                    .element("a", "Older batches", "href", "/batches?before=" + next)
                    .close("p");
        }
        return Layout.livePage("Batches", "/batches", b.fragment());
    }

    /** @param csrf the token for the action buttons; null on a read-only dashboard, which shows none */
    static String one(BatchView v, String csrf, String flash) {
        HtmlWriter b = new HtmlWriter();
        if (flash != null && !flash.isBlank()) {
            b.element("div", flash, "class", "flash", "id", "flash");
        }
        b.open("p")
                .add(bar(v))
                .text(" " + v.finished() + " of " + v.total() + " finished")
                .close("p");
        if (csrf != null) {
            b.open("p");
            if (v.finishedAt() == null && v.state() != BatchState.CANCELLED) {
                b.add(action(v.id(), "cancel", "Cancel", csrf));
            }
            if (v.state() == BatchState.OPEN) {
                b.add(action(v.id(), "close", "Close", csrf));
            }
            if (v.failed() > 0) {
                b.add(action(v.id(), "retry", "Retry failed members", csrf));
            }
            b.close("p");
        }
        b.open("div", "class", "scroll").open("table", "id", "batch");
        b.open("tr").element("th", "State").open("td").add(state(v)).close("td").close("tr");
        row(b, "Description", v.description());
        row(b, "Total", v.total());
        row(b, "Pending", v.pending());
        row(b, "Running", v.running());
        row(b, "Succeeded", v.succeeded());
        row(b, "Failed", v.failed());
        row(b, "Cancelled", v.cancelled());
        jobRow(b, "On success", v.onSuccessJob());
        jobRow(b, "On complete", v.onCompleteJob());
        jobRow(b, "On failure", v.onFailureJob());
        if (v.parentBatchId() != null) {
            b.open("tr")
                    .element("th", "Nested in")
                    .open("td")
                    .element("a", "batch " + v.parentBatchId(), "href", "/batches/" + v.parentBatchId())
                    .text(" as ")
                    .element("a", "job " + v.standInJobId(), "href", "/jobs/" + v.standInJobId())
                    .close("td")
                    .close("tr");
        }
        row(b, "Created", Html.time(v.createdAt()));
        row(b, "Finished", Html.time(v.finishedAt()));
        b.close("table").close("div");
        return Layout.livePage("Batch " + v.id(), "/batches", b.fragment());
    }

    /** The rows of a job's page that name its batch: the one it is a member of, the one it is a callback of. */
    static HtmlWriter.Fragment jobRows(Optional<BatchView> memberOf, Optional<BatchView> callbackOf) {
        HtmlWriter b = new HtmlWriter();
        memberOf.ifPresent(v -> link(b, "Batch", v));
        callbackOf.ifPresent(v -> link(b, "Callback of", v));
        return b.fragment();
    }

    private static void link(HtmlWriter b, String heading, BatchView v) {
        b.open("tr")
                .element("th", heading)
                .open("td")
                .element("a", "batch " + v.id(), "href", "/batches/" + v.id())
                .text(" (" + v.state().text() + ", " + v.finished() + " of " + v.total() + " finished)")
                .close("td")
                .close("tr");
    }

    private static HtmlWriter.Fragment state(BatchView v) {
        String css = switch (v.state()) {
            case SUCCEEDED -> "state-succeeded";
            case FAILED -> "state-failed";
            case CANCELLED -> "state-cancelled";
            default -> "state-running";
        };
        return new HtmlWriter().element("span", v.state().text(), "class", css).fragment();
    }

    /** A progress bar: finished of total (a native element, no inline style under the page's CSP). */
    private static HtmlWriter.Fragment bar(BatchView v) {
        return new HtmlWriter()
                .element(
                        "progress",
                        v.finished() + "/" + v.total(),
                        "value",
                        v.finished(),
                        "max",
                        Math.max(1, v.total()),
                        "title",
                        v.finished() + " of " + v.total() + " finished")
                .fragment();
    }

    private static HtmlWriter.Fragment action(long id, String what, String label, String csrf) {
        return new HtmlWriter()
                .open("form", "class", "inline", "method", "post", "action", "/batches/" + id + "/" + what)
                .empty("input", "type", "hidden", "name", "csrf", "value", csrf)
                .element("button", label, "class", what.equals("cancel") ? "" : "primary")
                .close("form")
                .text(" ")
                .fragment();
    }

    private static void row(HtmlWriter b, String heading, Object value) {
        b.open("tr")
                .element("th", heading)
                .element("td", value == null ? "" : value)
                .close("tr");
    }

    private static void jobRow(HtmlWriter b, String heading, Long jobId) {
        b.open("tr").element("th", heading).open("td");
        if (jobId != null) {
            b.element("a", "job " + jobId, "href", "/jobs/" + jobId);
        }
        b.close("td").close("tr");
    }
}
