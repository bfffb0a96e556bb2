package dev.steadfast.web.internal;

import dev.steadfast.queue.JobFilter;
import dev.steadfast.queue.JobPage;
import dev.steadfast.queue.JobStatus;
import dev.steadfast.queue.JobView;
import dev.steadfast.queue.text.Redactor;

/**
 * A page of jobs in one state, filtered by queue and type, searched by id or the start of a type or unique key:
 * pending and scheduled jobs by when they will run, the others newest first, with the total.
 */
final class JobsPage {
    static final int PAGE_SIZE = 50;

    private JobsPage() {}

    /**
     * @param paged whether this is not the first page
     * @param flash the text of a finished action, or empty
     */
    static String render(JobFilter filter, JobPage page, boolean paged, String flash, String csrf) {
        JobStatus status = filter.status();
        String state = status == null ? null : status.text();
        HtmlWriter b = new HtmlWriter();
        if (flash != null && !flash.isBlank()) {
            b.element("div", flash, "class", "flash", "id", "flash");
        }
        b.open("form", "class", "search", "method", "get", "action", "/jobs")
                .empty("input", "type", "hidden", "name", "state", "value", state)
                .empty("input", "name", "queue", "placeholder", "queue", "value", filter.queue(), "aria-label", "queue")
                .empty("input", "name", "type", "placeholder", "type", "value", filter.type(), "aria-label", "type")
                .empty(
                        "input",
                        "name",
                        "q",
                        "placeholder",
                        "id, or start of type or unique key",
                        "value",
                        filter.search(),
                        "aria-label",
                        "search")
                .text(" ")
                .element("button", "Filter")
                .close("form");
        b.element("p", summary(page, paged), "class", "muted", "id", "total");
        if (csrf != null
                && status != null
                && status.cancellable()
                && !page.jobs().isEmpty()) {
            b.open(
                            "form",
                            "class",
                            "inline",
                            "method",
                            "post",
                            "action",
                            "/jobs/cancel?state=" + Html.url(state)
                                    + (filter.queue() == null ? "" : "&queue=" + Html.url(filter.queue()))
                                    + (filter.type() == null ? "" : "&type=" + Html.url(filter.type())))
                    .empty("input", "type", "hidden", "name", "csrf", "value", csrf)
                    .element(
                            "button",
                            "Cancel all " + state + " jobs" + (filter.queue() == null ? "" : " of this queue")
                                    + (filter.type() == null ? "" : " of this type"),
                            "class",
                            "danger",
                            "id",
                            "cancel-all")
                    .close("form");
        }
        b.open("div", "class", "scroll").open("table", "id", "jobs").open("tr");
        for (String heading : new String[] {"Id", "Queue", "Type", "State"}) {
            b.element("th", heading);
        }
        b.element("th", "Attempts", "class", "num");
        String when = filter.byRunTime() ? "Runs" : "Finished";
        for (String heading : new String[] {when, "Updated", "Unique key", "Last error"}) {
            b.element("th", heading);
        }
        b.close("tr");
        for (JobView j : page.jobs()) {
            b.open("tr")
                    .open("td")
                    .element("a", j.id(), "href", "/jobs/" + j.id())
                    .close("td")
                    .element("td", j.queue())
                    .element("td", j.type())
                    .element(
                            "td",
                            j.status().text(),
                            "class",
                            "state-" + j.status().text())
                    .element("td", j.attempts() + "/" + j.maxAttempts(), "class", "num")
                    .open("td")
                    .add(Html.timeElement(filter.byRunTime() || j.finishedAt() == null ? j.runAt() : j.finishedAt()))
                    .close("td")
                    .open("td")
                    .add(Html.timeElement(j.updatedAt()))
                    .close("td")
                    .element("td", j.uniqueKey())
                    .element("td", abbreviate(j.lastError()))
                    .close("tr");
        }
        if (page.jobs().isEmpty()) {
            b.open("tr")
                    .element(
                            "td",
                            "no " + state + " jobs" + (filtered(filter) ? " matching the filter" : ""),
                            "colspan",
                            "9",
                            "class",
                            "muted")
                    .close("tr");
        }
        b.close("table").close("div").open("div", "class", "pager");
        String base = "/jobs?state=" + Html.url(state) + param("queue", filter.queue()) + param("type", filter.type())
                + param("q", filter.search());
        if (paged) {
            b.element("a", "\u21e4 first page", "href", base);
        }
        if (page.next() != null) {
            b.element("a", "next page \u2192", "href", base + "&after=" + Html.url(page.next()));
        }
        b.close("div");
        String title = Character.toUpperCase(state.charAt(0)) + state.substring(1) + " jobs";
        return Layout.livePage(title, "/jobs?state=" + state, b.fragment());
    }

    private static String summary(JobPage page, boolean paged) {
        String total = (page.totalCapped() ? "at least " : "") + Html.num(page.total());
        if (page.jobs().isEmpty()) {
            return paged ? "no more jobs (" + total + " in all)" : "";
        }
        return page.jobs().size() + " shown of " + total + (paged ? " (a later page)" : "");
    }

    private static boolean filtered(JobFilter f) {
        return f.queue() != null || f.type() != null || f.search() != null;
    }

    private static String param(String name, String value) {
        return value == null ? "" : "&" + name + "=" + Html.url(value);
    }

    static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        // redacted before it is cut: half a secret would no longer match its pattern or its value
        String line = Redactor.process().redact(text).replaceAll("\\s+", " ");
        return line.length() > 100 ? line.substring(0, 97) + "..." : line;
    }

    /** Asks before a bulk cancel; {@code back} is the list it came from. */
    static String confirmCancel(String action, String what, String back, String csrf) {
        HtmlWriter b = new HtmlWriter()
                .element("p", "About to " + what + ". Running ones are asked to stop.", "id", "confirm-what")
                .open("form", "method", "post", "action", action)
                .empty("input", "type", "hidden", "name", "csrf", "value", csrf)
                .empty("input", "type", "hidden", "name", "confirmed", "value", "1")
                .element("button", "Yes, cancel them", "class", "danger", "id", "confirm")
                .text(" ")
                .element("a", "Keep them", "href", back)
                .close("form");
        return Layout.page("Please confirm", back, b.fragment());
    }
}
