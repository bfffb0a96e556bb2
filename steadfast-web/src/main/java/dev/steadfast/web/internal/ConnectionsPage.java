package dev.steadfast.web.internal;

import dev.steadfast.jdbc.ConnectionHealth;
import dev.steadfast.queue.WorkerView;
import dev.steadfast.queue.doctor.DoctorReport;
import dev.steadfast.queue.doctor.Finding;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The health of the database connections underneath: losses, replays, heals, and the server's timeouts as doctor sees them. */
final class ConnectionsPage {
    private ConnectionsPage() {}

    static String render(ProcessConnections h, List<WorkerView> workers, DoctorReport doctor) {
        HtmlWriter b = new HtmlWriter()
                .element("h2", "Workers")
                .element("p", "As each live worker reported with its last heartbeat.", "class", "muted")
                .open("table", "id", "worker-connections")
                .open("tr")
                .element("th", "Worker");
        for (String heading : new String[] {"Connection losses", "Healed", "Dead replaced", "Given up"}) {
            b.element("th", heading, "class", "num");
        }
        b.element("th", "Last heal").close("tr");
        for (WorkerView w : workers) {
            if (!w.alive()) {
                continue;
            }
            ConnectionHealth wh = w.health();
            b.open("tr")
                    .element("td", w.id())
                    .element("td", wh.losses(), "class", "num")
                    .element("td", wh.heals(), "class", "num")
                    .element("td", wh.evictions(), "class", "num")
                    .element("td", wh.gaveUp(), "class", "num")
                    .element("td", Html.time(wh.lastHeal()))
                    .close("tr");
        }
        b.close("table")
                .element("h2", "This process")
                .element("p", "Counted by this process since it started.", "class", "muted");
        b.open("div", "class", "cards", "id", "connection-health");
        card(b, h.losses(), "connection losses");
        card(b, h.stats().replays(), "units replayed");
        card(b, h.heals(), "healed");
        card(b, h.evictions(), "dead connections replaced");
        card(b, h.gaveUp(), "units given up");
        b.close("div")
                .element("h2", "Losses by class")
                .open("table")
                .open("tr")
                .element("th", "Class")
                .element("th", "Count", "class", "num")
                .close("tr");
        for (Map.Entry<String, Long> e : h.failures().entrySet()) {
            b.open("tr")
                    .element("td", e.getKey())
                    .element("td", e.getValue(), "class", "num")
                    .close("tr");
        }
        b.close("table")
                .element("h2", "Heals")
                .element(
                        "p",
                        h.heals() + " units healed, mean "
                                + String.format(Locale.ROOT, "%.0f", h.stats().meanHealMillis()) + " ms, max "
                                + String.format(Locale.ROOT, "%.0f", h.stats().maxHealMillis())
                                + " ms; last heal: " + (h.lastHeal() == null ? "none yet" : Html.time(h.lastHeal()))
                                + "; interrupted commits resolved: "
                                + new TreeMap<>(h.stats().commitResolutions())
                                        .entrySet().stream()
                                                .map(r -> r.getValue() + " "
                                                        + r.getKey().replace('_', ' '))
                                                .collect(Collectors.joining(", ")));
        b.open("h2")
                .text("Server settings (as ")
                .element("code", "steadfast doctor")
                .text(" sees them)")
                .close("h2")
                .open("table", "id", "doctor")
                .open("tr");
        for (String heading : new String[] {"Severity", "Check", "Observed", "Fix"}) {
            b.element("th", heading);
        }
        b.close("tr");
        for (Finding f : doctor.findings()) {
            b.open("tr")
                    .element("td", f.severity(), "class", "sev-" + f.severity())
                    .element("td", f.check())
                    .element("td", f.observed())
                    .element("td", f.fix())
                    .close("tr");
        }
        return Layout.page("Connections", "/connections", b.close("table").fragment());
    }

    static void card(HtmlWriter b, long n, String label) {
        b.open("div", "class", "card")
                .element("div", n, "class", "n")
                .element("div", label, "class", "l")
                .close("div");
    }
}
