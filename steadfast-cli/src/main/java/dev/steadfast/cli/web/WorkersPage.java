package dev.steadfast.cli.web;

import dev.steadfast.queue.WorkerView;

import java.util.List;

/** Workers with their last heartbeat and the jobs they hold now. */
final class WorkersPage {
    private WorkersPage() {
    }

    static String render(List<WorkerView> workers) {
        StringBuilder b = new StringBuilder("<table id=\"workers\"><tr><th>Worker</th><th>Host</th><th>Queues</th><th>Started</th>"
                + "<th>Last heartbeat</th><th>Status</th><th>Current jobs</th></tr>");
        for (WorkerView w : workers) {
            b.append("<tr><td>").append(Html.esc(w.id())).append("</td><td>").append(Html.esc(w.host())).append("</td><td>")
                    .append(Html.esc(w.queues())).append("</td><td>").append(Html.time(w.startedAt())).append("</td><td>")
                    .append(Html.time(w.lastHeartbeat())).append("</td><td class=\"").append(w.alive() ? "good\">alive" : "muted\">gone")
                    .append("</td><td>");
            for (long id : w.currentJobs()) {
                b.append("<a href=\"/jobs/").append(id).append("\">").append(id).append("</a> ");
            }
            b.append("</td></tr>");
        }
        if (workers.isEmpty()) {
            b.append("<tr><td colspan=\"7\" class=\"muted\">no worker has reported in the last day</td></tr>");
        }
        return Layout.page("Workers", "/workers", b.append("</table>").toString());
    }
}
