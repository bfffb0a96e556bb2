package dev.steadfast.cli.commands;

import dev.steadfast.cli.Lifecycle;
import dev.steadfast.queue.QueueCounts;
import dev.steadfast.queue.QueueStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** {@code steadfast stats}. */
@Command(name = "stats", mixinStandardHelpOptions = true, description = "Jobs per state, overall and per queue.")
public final class StatsCommand extends DatabaseCommand {

    @Option(names = "--json", description = "One JSON object: pending, scheduled, running, succeeded, failed, cancelled,"
            + " queues (each also with paused: true|false and rate_limit: {jobs, per, per_ms} or null); \"estimated\" lists"
            + " the counts that are estimates, [] when none (above 10,000 jobs of a queue in a state).")
    boolean json;

    @Override
    int run(Lifecycle lifecycle) throws Exception {
        QueueStats stats = openQueue(lifecycle).stats();
        if (json) {
            Map<String, Object> document = counts(stats.total());
            Map<String, Object> queues = new TreeMap<>();
            stats.queues().forEach((name, counts) -> {
                Map<String, Object> q = counts(counts);
                q.put("paused", stats.isPaused(name));
                q.put("rate_limit", dev.steadfast.cli.RateConverter.json(stats.rateLimits().get(name)));
                queues.put(name, q);
            });
            document.put("queues", queues);
            out().println(JSON.writeValueAsString(document));
            return ok();
        }
        String format = "%-24s %9s %9s %9s %9s %9s %9s%n";
        out().printf(format, "QUEUE", "PENDING", "SCHEDULED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED");
        new TreeMap<>(stats.queues()).forEach((name, c) -> row(format, name + (stats.isPaused(name) ? " (paused)" : ""), c));
        row(format, "(all)", stats.total());
        return ok();
    }

    private void row(String format, String name, QueueCounts c) {
        out().printf(format, StoredText.line(name), shown(c, "pending"), shown(c, "scheduled"), shown(c, "running"), shown(c, "succeeded"),
                shown(c, "failed"), shown(c, "cancelled"));
    }

    /** Estimates are marked with {@code ~}, as on the dashboard. */
    static String shown(QueueCounts c, String state) {
        return (c.isEstimate(state) ? "~" : "") + c.of(state);
    }

    static Map<String, Object> counts(QueueCounts c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pending", c.pending());
        m.put("scheduled", c.scheduled());
        m.put("running", c.running());
        m.put("succeeded", c.succeeded());
        m.put("failed", c.failed());
        m.put("cancelled", c.cancelled());
        m.put("estimated", new java.util.TreeSet<>(c.estimated())); // always there: [] when every count is exact
        return m;
    }
}
