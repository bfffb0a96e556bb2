package dev.steadfast.web.internal;

import dev.steadfast.queue.StrandedJobs;
import dev.steadfast.queue.StrandedReport;

/** The overview's notice of due jobs no live worker will start, each linked to its list; nothing when there are none. */
final class StrandedNotice {
    private StrandedNotice() {}

    static void render(HtmlWriter b, StrandedReport report) {
        if (report.jobs().isEmpty()) {
            return;
        }
        b.open("div", "class", "notice", "id", "stranded")
                .element("strong", "Jobs no live worker will start", "class", "bad")
                .text(" (check the type's or queue's spelling, or start a worker that handles them):")
                .open("ul");
        for (StrandedJobs jobs : report.jobs()) {
            b.open("li")
                    .element(
                            "a",
                            jobs.describe(),
                            "href",
                            "/jobs?state=pending&queue=" + Html.url(jobs.queue()) + "&type=" + Html.url(jobs.type()))
                    .close("li");
        }
        b.close("ul").close("div");
    }
}
