package dev.steadfast.cli.web;

import dev.steadfast.cli.doctor.DoctorReport;
import dev.steadfast.cli.doctor.Finding;
import dev.steadfast.jdbc.ConnectionHealth;
import dev.steadfast.queue.WorkerView;

import java.util.List;

import java.util.Map;

/** The health of the database connections underneath: losses, replays, heals, and the server's timeouts as doctor sees them. */
final class ConnectionsPage {
    private ConnectionsPage() {
    }

    static String render(ProcessConnections h, List<WorkerView> workers, DoctorReport doctor) {
        StringBuilder b = new StringBuilder("<h2>Workers</h2><p class=\"muted\">As each live worker reported with its last"
                + " heartbeat.</p><table id=\"worker-connections\"><tr><th>Worker</th><th class=\"num\">Connection losses</th>"
                + "<th class=\"num\">Healed</th><th class=\"num\">Dead replaced</th><th class=\"num\">Given up</th>"
                + "<th>Last heal</th></tr>");
        for (WorkerView w : workers) {
            if (!w.alive()) {
                continue;
            }
            ConnectionHealth wh = w.health();
            b.append("<tr><td>").append(Html.esc(w.id())).append("</td><td class=\"num\">").append(wh.losses())
                    .append("</td><td class=\"num\">").append(wh.heals()).append("</td><td class=\"num\">").append(wh.evictions())
                    .append("</td><td class=\"num\">").append(wh.gaveUp()).append("</td><td>").append(Html.time(wh.lastHeal()))
                    .append("</td></tr>");
        }
        b.append("</table><h2>This process</h2><p class=\"muted\">Counted by this process since it started.</p>");
        b.append("<div class=\"cards\" id=\"connection-health\">")
                .append(card(h.losses(), "connection losses")).append(card(h.replays(), "units replayed"))
                .append(card(h.heals(), "healed")).append(card(h.evictions(), "dead connections replaced"))
                .append(card(h.gaveUp(), "units given up")).append("</div>");
        b.append("<h2>Losses by class</h2><table><tr><th>Class</th><th class=\"num\">Count</th></tr>");
        for (Map.Entry<String, Long> e : h.failures().entrySet()) {
            b.append("<tr><td>").append(Html.esc(e.getKey())).append("</td><td class=\"num\">").append(e.getValue()).append("</td></tr>");
        }
        b.append("</table><h2>Heals</h2><p>").append(h.heals()).append(" units healed, mean ")
                .append(String.format("%.0f", h.meanHealMs())).append(" ms, max ").append(String.format("%.0f", h.maxHealMs()))
                .append(" ms; last heal: ").append(h.lastHeal() == null ? "none yet" : Html.time(h.lastHeal()))
                .append("; interrupted commits resolved: ").append(Html.esc(h.resolutions())).append("</p>");
        b.append("<h2>Server settings (as <code>steadfast doctor</code> sees them)</h2><table id=\"doctor\"><tr><th>Severity</th>"
                + "<th>Check</th><th>Observed</th><th>Fix</th></tr>");
        for (Finding f : doctor.findings()) {
            b.append("<tr><td class=\"sev-").append(f.severity()).append("\">").append(f.severity()).append("</td><td>")
                    .append(Html.esc(f.check())).append("</td><td>").append(Html.esc(f.observed())).append("</td><td>")
                    .append(Html.esc(f.fix())).append("</td></tr>");
        }
        return Layout.page("Connections", "/connections", b.append("</table>").toString());
    }

    private static String card(long n, String label) {
        return "<div class=\"card\"><div class=\"n\">" + n + "</div><div class=\"l\">" + label + "</div></div>";
    }
}
