package dev.steadfast.cli.web;

import dev.steadfast.jdbc.ConnectionHealth;
import dev.steadfast.queue.WorkerView;

import java.util.List;

/** Workers with their last heartbeat and the jobs they hold now. */
final class WorkersPage {
    private WorkersPage() {
    }

    static String render(List<WorkerView> workers) {
        StringBuilder b = new StringBuilder("<table id=\"workers\"><tr><th>Worker</th><th>Host</th><th>Queues</th><th>Started</th>"
                + "<th>Last heartbeat</th><th>Status</th><th>Current jobs</th><th class=\"num\">Connection losses</th>"
                + "<th class=\"num\">Healed</th><th class=\"num\">Dead replaced</th><th class=\"num\">Given up</th>"
                + "<th>Last heal</th></tr>");
        for (WorkerView w : workers) {
            b.append("<tr><td>").append(Html.esc(w.id())).append("</td><td>").append(Html.esc(w.host())).append("</td><td>")
                    .append(Html.esc(w.queues())).append("</td><td>").append(Html.time(w.startedAt())).append("</td><td>")
                    .append(Html.time(w.lastHeartbeat())).append("</td><td class=\"").append(w.alive() ? "good\">alive" : "muted\">gone")
                    .append("</td><td>");
            for (long id : w.currentJobs()) {
                b.append("<a href=\"/jobs/").append(id).append("\">").append(id).append("</a> ");
            }
            ConnectionHealth h = w.health();
            b.append("</td><td class=\"num\">").append(h.losses()).append("</td><td class=\"num\">").append(h.heals())
                    .append("</td><td class=\"num\">").append(h.evictions()).append("</td><td class=\"num")
                    .append(h.gaveUp() > 0 ? " bad" : "").append("\">").append(h.gaveUp()).append("</td><td>")
                    .append(Html.time(h.lastHeal())).append("</td></tr>");
        }
        if (workers.isEmpty()) {
            b.append("<tr><td colspan=\"12\" class=\"muted\">no worker has reported in the last day</td></tr>");
        }
        return Layout.page("Workers", "/workers", b.append("</table>").toString());
    }
}
