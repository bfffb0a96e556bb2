package dev.steadfast.web.internal;

import dev.steadfast.queue.FailedJob;
import dev.steadfast.queue.JobFilter;
import java.util.List;

/**
 * Failed jobs (by job id) with retry and forget, one at a time or in bulk; every action a POST with the CSRF
 * token, bulk ones confirmed on a page of their own first.
 */
final class FailedPage {
    private FailedPage() {}

    /**
     * @param flash     the text of a finished action, or empty
     * @param paged     whether this is not the first page
     * @param olderThan the id below which the next page starts, or null when this is the last page
     * @param total     how many failed jobs match the filter
     * @param filter    the queue and type shown
     */
    static String render(
            List<FailedJob> failed,
            String csrf,
            String flash,
            boolean paged,
            Long olderThan,
            long total,
            JobFilter filter) {
        HtmlWriter b = new HtmlWriter();
        b.open("form", "class", "search", "method", "get", "action", "/failed")
                .empty("input", "name", "queue", "placeholder", "queue", "value", filter.queue(), "aria-label", "queue")
                .empty("input", "name", "type", "placeholder", "type", "value", filter.type(), "aria-label", "type")
                .text(" ")
                .element("button", "Filter")
                .close("form");
        if (flash != null && !flash.isBlank()) {
            b.element("div", flash, "class", "flash", "id", "flash");
        }
        b.element(
                "p",
                failed.isEmpty() ? "" : failed.size() + " shown of " + Html.num(total),
                "class",
                "muted",
                "id",
                "total");
        boolean actions = csrf != null; // a read-only dashboard shows no buttons
        if (actions) {
            b.open("form", "method", "post", "action", "/failed/retry", "id", "bulk")
                    .empty("input", "type", "hidden", "name", "csrf", "value", csrf);
        }
        b.open("div", "class", "scroll").open("table", "id", "failed").open("tr");
        if (actions) {
            b.element("th", "");
        }
        for (String heading : new String[] {"Job", "Queue", "Type"}) {
            b.element("th", heading);
        }
        b.element("th", "Attempts", "class", "num").element("th", "Failed").element("th", "Error");
        if (actions) {
            b.element("th", "");
        }
        b.close("tr");
        for (FailedJob f : failed) {
            b.open("tr", "data-job", f.id());
            if (actions) {
                b.open("td")
                        .empty(
                                "input",
                                "type",
                                "checkbox",
                                "name",
                                "id",
                                "value",
                                f.id(),
                                "aria-label",
                                "select job " + f.id())
                        .close("td");
            }
            b.open("td")
                    .element("a", f.id(), "href", "/jobs/" + f.id())
                    .close("td")
                    .element("td", f.queue())
                    .element("td", f.type())
                    .element("td", f.attempts(), "class", "num")
                    .open("td")
                    .add(Html.timeElement(f.failedAt()))
                    .close("td")
                    .element("td", JobsPage.abbreviate(f.errorSummary()), "class", "error");
            if (actions) {
                b.open("td", "class", "actions")
                        .element(
                                "button",
                                "Retry",
                                "class",
                                "primary",
                                "formaction",
                                "/failed/retry?only=" + f.id(),
                                "name",
                                "retry-one",
                                "value",
                                f.id())
                        .text(" ")
                        .element(
                                "button",
                                "Forget",
                                "class",
                                "danger",
                                "formaction",
                                "/failed/forget?only=" + f.id(),
                                "name",
                                "forget-one",
                                "value",
                                f.id())
                        .close("td");
            }
            b.close("tr");
        }
        if (failed.isEmpty()) {
            b.open("tr")
                    .element("td", "no failed jobs", "colspan", "8", "class", "muted")
                    .close("tr");
        }
        b.close("table").close("div");
        if (actions) {
            b.open("p")
                    .element("button", "Retry selected", "class", "primary", "formaction", "/failed/retry")
                    .text(" ")
                    .element("button", "Forget selected", "class", "danger", "formaction", "/failed/forget")
                    .text(" ")
                    .element("button", "Retry all", "formaction", "/failed/retry?all=1")
                    .close("p")
                    .close("form");
        }
        b.open("div", "class", "pager");
        String filters = (filter.queue() == null ? "" : "&queue=" + Html.url(filter.queue()))
                + (filter.type() == null ? "" : "&type=" + Html.url(filter.type()));
        if (paged) {
            b.element("a", "\u21e4 newest", "href", "/failed" + filters.replaceFirst("^&", "?"));
        }
        if (olderThan != null) {
            b.element("a", "older \u2192", "href", "/failed?before=" + olderThan + filters);
        }
        b.close("div");
        return Layout.livePage("Failed jobs", "/failed", b.fragment());
    }

    /** Retry and forget buttons for one failed job, as their own forms. */
    static HtmlWriter.Fragment actions(long jobId, String csrf) {
        HtmlWriter b = new HtmlWriter();
        b.open("form", "class", "inline", "method", "post", "action", "/failed/retry?only=" + jobId)
                .empty("input", "type", "hidden", "name", "csrf", "value", csrf)
                .element("button", "Retry", "class", "primary")
                .close("form")
                .text(" ")
                .open("form", "class", "inline", "method", "post", "action", "/failed/forget?only=" + jobId)
                .empty("input", "type", "hidden", "name", "csrf", "value", csrf)
                .element("button", "Forget", "class", "danger")
                .close("form");
        return b.fragment();
    }

    /**
     * The page that asks before a bulk action: the same form again, with {@code confirmed=1}.
     *
     * @param ids the selected job ids, or empty for "all"
     */
    static String confirm(String action, String what, List<String> ids, String csrf) {
        HtmlWriter b = new HtmlWriter()
                .element("p", "About to " + what + ".", "id", "confirm-what")
                .open("form", "method", "post", "action", action)
                .empty("input", "type", "hidden", "name", "csrf", "value", csrf)
                .empty("input", "type", "hidden", "name", "confirmed", "value", "1");
        for (String id : ids) {
            b.empty("input", "type", "hidden", "name", "id", "value", id);
        }
        b.element("button", "Yes, go ahead", "class", "danger", "id", "confirm")
                .text(" ")
                .element("a", "Cancel", "href", "/failed")
                .close("form");
        return Layout.page("Please confirm", "/failed", b.fragment());
    }
}
