package dev.steadfast.cli.web;

import dev.steadfast.cli.Redactor;
import dev.steadfast.queue.JobView;

import java.util.List;

/** A page of jobs in one state, with search by id, type or unique key. */
final class JobsPage {
    static final int PAGE_SIZE = 50;

    private JobsPage() {
    }

    /**
     * @param newer whether newer jobs exist above this page
     * @param older whether older jobs exist below it
     */
    static String render(String state, String search, List<JobView> jobs, boolean newer, boolean older) {
        boolean searching = search != null && !search.isBlank();
        HtmlWriter b = new HtmlWriter();
        b.open("form", "class", "search", "method", "get", "action", "/jobs")
                .empty("input", "type", "hidden", "name", "state", "value", state)
                .empty("input", "name", "q", "placeholder", "id, type or unique key", "value", search == null ? "" : search)
                .text(" ").element("button", "Search").close("form").empty("br");
        b.open("table", "id", "jobs").open("tr");
        for (String heading : new String[] {"Id", "Queue", "Type", "State"}) {
            b.element("th", heading);
        }
        b.element("th", "Attempts", "class", "num");
        for (String heading : new String[] {"Run at", "Updated", "Unique key", "Last error"}) {
            b.element("th", heading);
        }
        b.close("tr");
        for (JobView j : jobs) {
            b.open("tr").open("td").element("a", j.id(), "href", "/jobs/" + j.id()).close("td")
                    .element("td", j.queue()).element("td", j.type()).element("td", j.state(), "class", "state-" + j.state())
                    .element("td", j.attempts() + "/" + j.maxAttempts(), "class", "num").element("td", Html.time(j.runAt()))
                    .element("td", Html.time(j.updatedAt())).element("td", j.uniqueKey()).element("td", abbreviate(j.lastError()))
                    .close("tr");
        }
        if (jobs.isEmpty()) {
            b.open("tr").element("td", "no " + state + " jobs" + (searching ? " matching '" + search + "'" : ""),
                    "colspan", "9", "class", "muted").close("tr");
        }
        b.close("table").open("div", "class", "pager");
        String base = "/jobs?state=" + Html.url(state) + (searching ? "&q=" + Html.url(search) : "");
        if (newer && !jobs.isEmpty()) {
            b.element("a", "\u21e4 newest", "href", base);
            b.element("a", "\u2190 newer", "href", base + "&after=" + jobs.get(0).id());
        }
        if (older && !jobs.isEmpty()) {
            b.element("a", "older \u2192", "href", base + "&before=" + jobs.get(jobs.size() - 1).id());
        }
        b.close("div");
        String title = Character.toUpperCase(state.charAt(0)) + state.substring(1) + " jobs";
        return Layout.page(title, "/jobs?state=" + state, b.fragment());
    }

    static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        // redacted before it is cut: half a secret would no longer match its pattern or its value
        String line = Redactor.process().redact(text).replaceAll("\\s+", " ");
        return line.length() > 100 ? line.substring(0, 97) + "..." : line;
    }
}
