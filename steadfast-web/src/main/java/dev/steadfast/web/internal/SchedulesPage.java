package dev.steadfast.web.internal;

import dev.steadfast.queue.ScheduleView;
import dev.steadfast.web.PrintedCadence;
import dev.steadfast.web.PrintedTime;
import java.util.List;

/** Every schedule: its cadence, next and last run, the last job it made, and pause or resume. */
final class SchedulesPage {
    private SchedulesPage() {}

    /**
     * @param csrf  the token for the pause and resume buttons; null on a read-only dashboard, which shows none
     * @param flash the text of a finished action, or empty
     */
    static String render(List<ScheduleView> schedules, String csrf, String flash) {
        HtmlWriter b = new HtmlWriter();
        if (flash != null && !flash.isBlank()) {
            b.element("div", flash, "class", "flash", "id", "flash");
        }
        b.open("div", "class", "scroll").open("table", "id", "schedules").open("tr");
        for (String heading : new String[] {
            "Schedule", "Cadence", "Zone", "Type", "Queue", "Missed ticks", "Next run", "Last run", "Last job", "State"
        }) {
            b.element("th", heading);
        }
        b.close("tr");
        for (ScheduleView s : schedules) {
            b.open("tr")
                    .element("td", s.name())
                    .element("td", PrintedCadence.of(s))
                    .element("td", s.zone() == null ? "" : PrintedTime.zone(s.zone()))
                    .element("td", s.type())
                    .open("td")
                    .element("a", s.queue(), "href", "/jobs?state=pending&queue=" + Html.url(s.queue()))
                    .close("td")
                    .element("td", s.missed().word())
                    .element("td", s.paused() ? "" : Html.time(s.nextRun()))
                    .element("td", Html.time(s.lastRun()))
                    .open("td");
            if (s.lastJobId() != null) {
                b.element("a", s.lastJobId(), "href", "/jobs/" + s.lastJobId());
            }
            b.close("td")
                    .open("td")
                    .element("span", s.paused() ? "paused" : "active", "class", s.paused() ? "bad" : "muted");
            if (csrf != null) {
                b.text(" ")
                        .open(
                                "form",
                                "class",
                                "inline",
                                "method",
                                "post",
                                "action",
                                s.paused() ? "/schedules/resume" : "/schedules/pause")
                        .empty("input", "type", "hidden", "name", "csrf", "value", csrf)
                        .empty("input", "type", "hidden", "name", "schedule", "value", s.name())
                        .element("button", s.paused() ? "Resume" : "Pause", "class", s.paused() ? "primary" : "")
                        .close("form");
            }
            b.close("td").close("tr");
        }
        if (schedules.isEmpty()) {
            b.open("tr")
                    .element(
                            "td",
                            "no schedules (steadfast schedule add NAME --cron \"0 3 * * *\" --type T)",
                            "colspan",
                            "10",
                            "class",
                            "muted")
                    .close("tr");
        }
        b.close("table").close("div");
        return Layout.livePage("Schedules", "/schedules", b.fragment());
    }
}
