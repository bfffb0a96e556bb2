package dev.steadfast.cli.web;

import dev.steadfast.queue.QueueCounts;
import dev.steadfast.queue.QueueStats;
import dev.steadfast.queue.WorkerView;

import java.util.List;

/** Counts per state and queue, the last hour's throughput, workers and connection health at a glance. */
final class OverviewPage {
    private OverviewPage() {
    }

    static String render(QueueStats stats, long[][] throughput, List<WorkerView> workers, ProcessConnections health) {
        QueueCounts t = stats.total();
        StringBuilder b = new StringBuilder();
        b.append("<div class=\"cards\">")
                .append(card(t.pending(), "pending", "/jobs?state=pending"))
                .append(card(t.scheduled(), "scheduled", "/jobs?state=scheduled"))
                .append(card(t.running(), "running", "/jobs?state=running"))
                .append(card(t.succeeded(), "succeeded", "/jobs?state=succeeded"))
                .append(card(t.failed(), "failed", "/failed"))
                .append(card(workers.stream().filter(WorkerView::alive).count(), "workers alive", "/workers"))
                .append("</div>");
        b.append("<h2>Queues</h2><table id=\"queues\"><tr><th>Queue</th><th class=\"num\">Pending</th><th class=\"num\">Scheduled</th>"
                + "<th class=\"num\">Running</th><th class=\"num\">Succeeded</th><th class=\"num\">Failed</th></tr>");
        stats.queues().forEach((name, c) -> b.append("<tr><td>").append(Html.esc(name)).append("</td>")
                .append(num(c.pending())).append(num(c.scheduled())).append(num(c.running()))
                .append(num(c.succeeded())).append(num(c.failed())).append("</tr>"));
        if (stats.queues().isEmpty()) {
            b.append("<tr><td colspan=\"6\" class=\"muted\">no jobs yet</td></tr>");
        }
        b.append("</table>");
        b.append("<h2>Throughput, last hour</h2>").append(chart(throughput));
        // the live workers' own reports plus this process (a worker serving its own dashboard counts once)
        long losses = health.losses();
        long heals = health.heals();
        long evictions = health.evictions();
        long gaveUp = health.gaveUp();
        for (WorkerView w : workers) {
            if (w.alive() && !w.id().equals(health.workerId())) {
                losses += w.health().losses();
                heals += w.health().heals();
                evictions += w.health().evictions();
                gaveUp += w.health().gaveUp();
            }
        }
        b.append("<h2>Database connections</h2><p id=\"connections-summary\">")
                .append(health.outage() ? "<span class=\"bad\">worker in outage mode: database unreachable</span> · " : "")
                .append(losses).append(" connection losses, ").append(heals).append(" healed by replay, ")
                .append(evictions).append(" dead connections replaced before use, ")
                .append(gaveUp).append(" units given up (live workers and this process)")
                .append(health.lastHeal() == null ? "" : ", last heal here " + Html.time(health.lastHeal()))
                .append(" · <a href=\"/connections\">details</a></p>");
        return Layout.page("Overview", "/", b.toString());
    }

    private static String card(long n, String label, String href) {
        return "<a class=\"card\" href=\"" + href + "\" style=\"text-decoration:none;color:inherit\"><div class=\"n\">" + n
                + "</div><div class=\"l\">" + label + "</div></a>";
    }

    private static String num(long n) {
        return "<td class=\"num\">" + n + "</td>";
    }

    /** Stacked bars per minute: succeeded below, failed on top. */
    static String chart(long[][] perMinute) {
        int width = 10;
        int height = 120;
        long max = 1;
        long total = 0;
        for (long[] m : perMinute) {
            max = Math.max(max, m[0] + m[1]);
            total += m[0] + m[1];
        }
        StringBuilder svg = new StringBuilder("<svg id=\"throughput\" width=\"" + perMinute.length * width + "\" height=\""
                + (height + 16) + "\" role=\"img\" aria-label=\"jobs finished per minute\">");
        for (int i = 0; i < perMinute.length; i++) {
            long ok = perMinute[i][0];
            long bad = perMinute[i][1];
            int hOk = (int) Math.round((double) ok / max * height);
            int hBad = (int) Math.round((double) bad / max * height);
            int x = i * width;
            svg.append("<rect class=\"s\" x=\"").append(x).append("\" y=\"").append(height - hOk).append("\" width=\"")
                    .append(width - 2).append("\" height=\"").append(hOk).append("\"><title>").append(perMinute.length - i)
                    .append(" min ago: ").append(ok).append(" succeeded, ").append(bad).append(" failed</title></rect>");
            svg.append("<rect class=\"f\" x=\"").append(x).append("\" y=\"").append(height - hOk - hBad).append("\" width=\"")
                    .append(width - 2).append("\" height=\"").append(hBad).append("\"></rect>");
        }
        svg.append("<text x=\"0\" y=\"").append(height + 14).append("\" font-size=\"11\" fill=\"#5f6b7a\">60 min ago</text>")
                .append("<text x=\"").append(perMinute.length * width - 30).append("\" y=\"").append(height + 14)
                .append("\" font-size=\"11\" fill=\"#5f6b7a\">now</text></svg>");
        return svg + "<p class=\"muted\">" + total + " jobs finished in the last hour (peak " + (max == 1 && total == 0 ? 0 : max)
                + " per minute).</p>";
    }
}
