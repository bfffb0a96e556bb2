package dev.steadfast.web.internal;

import dev.steadfast.jdbc.ConnectionHealth;
import dev.steadfast.queue.WorkerView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Workers with their last heartbeat, the jobs they ran and hold now; those that stopped in the last day, as stopped. */
final class WorkersPage {
    private WorkersPage() {}

    /** How long a worker that stopped stays listed. */
    static final Duration STOPPED_SHOWN = Duration.ofDays(1);

    static String render(List<WorkerView> running, List<WorkerView> stopped) {
        List<WorkerView> workers = new ArrayList<>(running);
        workers.addAll(stopped);
        HtmlWriter b = new HtmlWriter().open("table", "id", "workers").open("tr");
        for (String heading :
                new String[] {"Worker", "Host", "Queues", "Started", "Last heartbeat", "Status", "Current jobs"}) {
            b.element("th", heading);
        }
        for (String heading :
                new String[] {"Jobs run", "Failed", "Connection losses", "Healed", "Dead replaced", "Given up"}) {
            b.element("th", heading, "class", "num");
        }
        b.element("th", "Last heal").close("tr");
        for (WorkerView w : workers) {
            b.open("tr")
                    .element("td", w.id())
                    .element("td", w.host())
                    .element("td", w.queues())
                    .element("td", Html.time(w.startedAt()))
                    .element("td", Html.time(w.lastHeartbeat()))
                    .add(status(w))
                    .open("td");
            for (long id : w.currentJobs()) {
                b.element("a", id, "href", "/jobs/" + id).text(" ");
            }
            if (w.stuckJobs() > 0) {
                b.element("span", w.stuckJobs() + " stuck (handler ignored its timeout; thread taken)", "class", "bad");
            }
            ConnectionHealth h = w.health();
            b.close("td")
                    .element("td", w.jobs(), "class", "num")
                    .element("td", w.failed(), "class", w.failed() > 0 ? "num bad" : "num");
            if (w.stopped()) { // its connections' story went with it
                b.element("td", "", "colspan", "5").close("tr");
                continue;
            }
            b.element("td", h.losses(), "class", "num")
                    .element("td", h.heals(), "class", "num")
                    .element("td", h.evictions(), "class", "num")
                    .element("td", h.gaveUp(), "class", h.gaveUp() > 0 ? "num bad" : "num")
                    .element("td", Html.time(h.lastHeal()))
                    .close("tr");
        }
        if (workers.isEmpty()) {
            b.open("tr")
                    .element("td", "no worker has run or stopped in the last day", "colspan", "14", "class", "muted")
                    .close("tr");
        }
        return Layout.livePage("Workers", "/workers", b.close("table").fragment());
    }

    /** alive; gone (no heartbeat lately: it died or lost its database); stopped at a time (it stopped cleanly). */
    private static HtmlWriter.Fragment status(WorkerView w) {
        HtmlWriter cell = new HtmlWriter();
        if (w.stopped()) {
            return cell.open("td", "class", "muted")
                    .text("stopped ")
                    .add(Html.timeElement(w.stoppedAt()))
                    .close("td")
                    .fragment();
        }
        return cell.element("td", w.alive() ? "alive" : "gone", "class", w.alive() ? "good" : "muted")
                .fragment();
    }
}
