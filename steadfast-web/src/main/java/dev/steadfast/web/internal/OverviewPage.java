package dev.steadfast.web.internal;

import dev.steadfast.queue.JobStatus;
import dev.steadfast.queue.MinuteThroughput;
import dev.steadfast.queue.QueueCounts;
import dev.steadfast.queue.QueueStats;
import dev.steadfast.queue.RateLimit;
import dev.steadfast.queue.StrandedReport;
import dev.steadfast.queue.WorkerView;
import dev.steadfast.web.RateText;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Counts per state and queue, the last hour's throughput, workers and connection health at a glance. */
final class OverviewPage {
    private OverviewPage() {}

    /**
     * @param csrf  the token for the pause and resume buttons; null on a read-only dashboard, which shows none
     * @param flash the text of a finished action, or empty
     * @param stranded due jobs no live worker will start, named in a notice above the counts
     */
    static String render(
            QueueStats stats,
            Map<String, Duration> latencies,
            List<MinuteThroughput> throughput,
            List<WorkerView> workers,
            ProcessConnections health,
            String csrf,
            String flash,
            StrandedReport stranded) {
        QueueCounts t = stats.total();
        HtmlWriter b = new HtmlWriter();
        if (flash != null && !flash.isBlank()) {
            b.element("div", flash, "class", "flash", "id", "flash");
        }
        StrandedNotice.render(b, stranded);
        b.open("div", "class", "cards");
        for (JobStatus status : JobStatus.values()) {
            // failed jobs have a page of their own
            card(
                    b,
                    Html.count(t, status),
                    status.text(),
                    status == JobStatus.FAILED ? "/failed" : "/jobs?state=" + status.text());
        }
        card(b, Html.num(workers.stream().filter(WorkerView::alive).count()), "workers alive", "/workers");
        b.close("div")
                .element("h2", "Queues")
                .open("div", "class", "scroll")
                .open("table", "id", "queues")
                .open("tr")
                .element("th", "Queue");
        for (String heading :
                new String[] {"Pending", "Scheduled", "Running", "Succeeded", "Failed", "Cancelled", "Latency"}) {
            b.element("th", heading, "class", "num");
        }
        b.element("th", "State").element("th", "Rate limit").close("tr");
        stats.queues().forEach((name, c) -> {
            b.open("tr")
                    .open("td")
                    .element("a", name, "href", "/jobs?state=pending&queue=" + Html.url(name))
                    .close("td");
            for (JobStatus status : JobStatus.values()) {
                b.element("td", Html.count(c, status), "class", "num");
            }
            b.element(
                    "td",
                    latency(latencies.get(name)),
                    "class",
                    "num",
                    "title",
                    "how long the oldest due job has waited");
            boolean paused = stats.isPaused(name);
            b.open("td", "class", "queue-state")
                    .element("span", paused ? "paused" : "active", "class", paused ? "bad" : "muted");
            if (csrf != null) {
                b.text(" ")
                        .open(
                                "form",
                                "class",
                                "inline",
                                "method",
                                "post",
                                "action",
                                paused ? "/queues/resume" : "/queues/pause")
                        .empty("input", "type", "hidden", "name", "csrf", "value", csrf)
                        .empty("input", "type", "hidden", "name", "queue", "value", name)
                        .element("button", paused ? "Resume" : "Pause", "class", paused ? "primary" : "")
                        .close("form");
            }
            b.close("td");
            rateLimit(b, name, stats.rateLimit(name).orElse(null), csrf);
            b.close("tr");
        });
        if (stats.queues().isEmpty()) {
            b.open("tr")
                    .element("td", "no jobs yet", "colspan", "10", "class", "muted")
                    .close("tr");
        }
        b.close("table").close("div").element("h2", "Throughput, last hour").add(chart(throughput));
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
        b.element("h2", "Database connections").open("p", "id", "connections-summary");
        if (health.outage()) {
            b.element("span", "worker in outage mode: database unreachable", "class", "bad")
                    .text(" · ");
        }
        b.text(losses + " connection losses, " + heals + " healed by replay, " + evictions
                        + " dead connections replaced before use, "
                        + gaveUp + " units given up (live workers and this process)"
                        + (health.lastHeal() == null ? "" : ", last heal here " + Html.time(health.lastHeal())) + " · ")
                .element("a", "details", "href", "/connections")
                .close("p");
        return Layout.livePage("Overview", "/", b.fragment());
    }

    /** The queue's rate limit, and (unless read-only) a form to set or change it and a button to take it away. */
    private static void rateLimit(HtmlWriter b, String queue, RateLimit limit, String csrf) {
        String shown = limit == null ? "none" : RateText.format(limit);
        b.open("td", "class", "rate-limit")
                .element(
                        "span",
                        shown,
                        "class",
                        limit == null ? "muted" : "",
                        "title",
                        limit == null
                                ? "no limit"
                                : "at most " + limit.jobs() + " job(s) start per span, across all workers");
        if (csrf != null) {
            b.text(" ")
                    .open("form", "class", "inline", "method", "post", "action", "/queues/limit")
                    .empty("input", "type", "hidden", "name", "csrf", "value", csrf)
                    .empty("input", "type", "hidden", "name", "queue", "value", queue)
                    .empty(
                            "input",
                            "type",
                            "text",
                            "name",
                            "rate",
                            "size",
                            "7",
                            "placeholder",
                            "10/1s",
                            "aria-label",
                            "rate limit for " + queue,
                            "pattern",
                            "\\d+\\s*/\\s*\\S+")
                    .element("button", limit == null ? "Limit" : "Change")
                    .close("form");
            if (limit != null) {
                b.text(" ")
                        .open("form", "class", "inline", "method", "post", "action", "/queues/limit")
                        .empty("input", "type", "hidden", "name", "csrf", "value", csrf)
                        .empty("input", "type", "hidden", "name", "queue", "value", queue)
                        .empty("input", "type", "hidden", "name", "rate", "value", "off")
                        .element("button", "Remove")
                        .close("form");
            }
        }
        b.close("td");
    }

    private static void card(HtmlWriter b, String n, String label, String href) {
        b.open("a", "class", "card", "href", href, "style", "text-decoration:none;color:inherit")
                .element("div", n, "class", "n")
                .element("div", label, "class", "l")
                .close("a");
    }

    /** A wait as people say it: 0 s, 45 s, 12 min, 3 h. */
    static String latency(Duration d) {
        if (d == null || d.isZero()) {
            return "0 s";
        }
        long s = d.toSeconds();
        return s < 120 ? s + " s" : s < 7200 ? s / 60 + " min" : s / 3600 + " h";
    }

    /** Stacked bars per minute: succeeded below, failed on top. */
    static HtmlWriter.Fragment chart(List<MinuteThroughput> perMinute) {
        int width = 10;
        int height = 120;
        long max = 1;
        long total = 0;
        for (MinuteThroughput m : perMinute) {
            max = Math.max(max, m.finished());
            total += m.finished();
        }
        HtmlWriter svg = new HtmlWriter()
                .open(
                        "svg",
                        "id",
                        "throughput",
                        "width",
                        perMinute.size() * width,
                        "height",
                        height + 16,
                        "viewBox",
                        "0 0 " + perMinute.size() * width + " " + (height + 16),
                        "role",
                        "img",
                        "aria-label",
                        "jobs finished per minute");
        for (int i = 0; i < perMinute.size(); i++) {
            long ok = perMinute.get(i).succeeded();
            long bad = perMinute.get(i).failed();
            int hOk = (int) Math.round((double) ok / max * height);
            int hBad = (int) Math.round((double) bad / max * height);
            int x = i * width;
            svg.open("rect", "class", "s", "x", x, "y", height - hOk, "width", width - 2, "height", hOk)
                    .element(
                            "title",
                            (perMinute.get(i).minutesAgo() + 1) + " min ago: " + ok + " succeeded, " + bad + " failed")
                    .close("rect");
            svg.open("rect", "class", "f", "x", x, "y", height - hOk - hBad, "width", width - 2, "height", hBad)
                    .close("rect");
        }
        svg.element("text", "60 min ago", "x", 0, "y", height + 14, "font-size", 11, "fill", "#5f6b7a")
                .element(
                        "text",
                        "now",
                        "x",
                        perMinute.size() * width - 30,
                        "y",
                        height + 14,
                        "font-size",
                        11,
                        "fill",
                        "#5f6b7a")
                .close("svg")
                .element(
                        "p",
                        total + " jobs finished in the last hour (peak " + (max == 1 && total == 0 ? 0 : max)
                                + " per minute).",
                        "class",
                        "muted");
        return svg.fragment();
    }
}
