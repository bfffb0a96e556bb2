package dev.steadfast.cli.web;

import dev.steadfast.jdbc.ConnectionHealth;
import dev.steadfast.queue.WorkerView;

import java.util.List;

/** Workers with their last heartbeat and the jobs they hold now. */
final class WorkersPage {
    private WorkersPage() {
    }

    static String render(List<WorkerView> workers) {
        HtmlWriter b = new HtmlWriter().open("table", "id", "workers").open("tr");
        for (String heading : new String[] {"Worker", "Host", "Queues", "Started", "Last heartbeat", "Status", "Current jobs"}) {
            b.element("th", heading);
        }
        for (String heading : new String[] {"Connection losses", "Healed", "Dead replaced", "Given up"}) {
            b.element("th", heading, "class", "num");
        }
        b.element("th", "Last heal").close("tr");
        for (WorkerView w : workers) {
            b.open("tr").element("td", w.id()).element("td", w.host()).element("td", w.queues())
                    .element("td", Html.time(w.startedAt())).element("td", Html.time(w.lastHeartbeat()))
                    .element("td", w.alive() ? "alive" : "gone", "class", w.alive() ? "good" : "muted").open("td");
            for (long id : w.currentJobs()) {
                b.element("a", id, "href", "/jobs/" + id).text(" ");
            }
            if (w.stuckJobs() > 0) {
                b.element("span", w.stuckJobs() + " stuck (handler ignored its timeout; thread taken)", "class", "bad");
            }
            ConnectionHealth h = w.health();
            b.close("td").element("td", h.losses(), "class", "num").element("td", h.heals(), "class", "num")
                    .element("td", h.evictions(), "class", "num").element("td", h.gaveUp(), "class", h.gaveUp() > 0 ? "num bad" : "num")
                    .element("td", Html.time(h.lastHeal())).close("tr");
        }
        if (workers.isEmpty()) {
            b.open("tr").element("td", "no worker has reported in the last day", "colspan", "12", "class", "muted").close("tr");
        }
        return Layout.livePage("Workers", "/workers", b.close("table").fragment());
    }
}
