package dev.steadfast.cli.commands;

import dev.steadfast.cli.Lifecycle;
import dev.steadfast.cli.RateConverter;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.JobStatus;
import dev.steadfast.queue.QueueCounts;
import dev.steadfast.queue.QueueStats;
import dev.steadfast.queue.StrandedJobs;
import dev.steadfast.queue.StrandedReport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code steadfast stats}. */
@Command(
        name = "stats",
        mixinStandardHelpOptions = true,
        description = "Jobs per state, overall and per queue, and due jobs no live worker will start.")
public final class StatsCommand extends DatabaseCommand {

    @Option(
            names = "--json",
            description = "One JSON object: pending, scheduled, running, succeeded, failed, cancelled, waiting,"
                    + " queues (each also with paused: true|false and rate_limit: {jobs, per, per_ms} or null); \"estimated\" lists"
                    + " the counts that are estimates, [] when none (above 10,000 jobs of a queue in a state); \"stranded\" lists due jobs no live"
                    + " worker will start: [{queue, type, due, due_capped, oldest_wait_seconds, queue_served}], [] when none or no"
                    + " worker is alive.")
    boolean json;

    @Override
    int run(Lifecycle lifecycle) throws Exception {
        JobQueue queue = openQueue(lifecycle);
        QueueStats stats = queue.stats();
        StrandedReport stranded = queue.stranded();
        if (json) {
            Map<String, Object> document = counts(stats.total());
            Map<String, Object> queues = new TreeMap<>();
            stats.queues().forEach((name, counts) -> {
                Map<String, Object> q = counts(counts);
                q.put("paused", stats.isPaused(name));
                q.put("rate_limit", RateConverter.json(stats.rateLimits().get(name)));
                queues.put(name, q);
            });
            document.put("queues", queues);
            document.put(
                    "stranded",
                    stranded.jobs().stream().map(StatsCommand::stranded).toList());
            out().println(JSON.writeValueAsString(document));
            return ok();
        }
        String format = "%-24s %9s %9s %9s %9s %9s %9s %9s%n";
        out().printf(format, "QUEUE", "PENDING", "SCHEDULED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED", "WAITING");
        new TreeMap<>(stats.queues())
                .forEach((name, c) -> row(format, name + (stats.isPaused(name) ? " (paused)" : ""), c));
        row(format, "(all)", stats.total());
        for (StrandedJobs jobs : stranded.jobs()) {
            out().println("stranded: " + StoredText.line(jobs.describe()));
        }
        return ok();
    }

    /** One queue and type of {@code stranded}: {queue, type, due, due_capped, oldest_wait_seconds, queue_served}. */
    private static Map<String, Object> stranded(StrandedJobs jobs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("queue", jobs.queue());
        m.put("type", jobs.type());
        m.put("due", jobs.due());
        m.put("due_capped", jobs.dueCapped());
        m.put("oldest_wait_seconds", jobs.oldestWait().toSeconds());
        m.put("queue_served", jobs.queueServed());
        return m;
    }

    private void row(String format, String name, QueueCounts c) {
        List<Object> cells = new ArrayList<>(List.of(StoredText.line(name)));
        cells.addAll(shown(c));
        out().printf(format, cells.toArray());
    }

    /** Estimates are marked with {@code ~}, as on the dashboard. */
    static String shown(QueueCounts c, JobStatus status) {
        return (c.isEstimate(status) ? "~" : "") + c.of(status);
    }

    /** Every status's count as {@link #shown(QueueCounts, JobStatus)}, in the order of {@link JobStatus}. */
    static List<String> shown(QueueCounts c) {
        return Arrays.stream(JobStatus.values()).map(s -> shown(c, s)).toList();
    }

    static Map<String, Object> counts(QueueCounts c) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (JobStatus s : JobStatus.values()) {
            m.put(s.text(), c.of(s));
        }
        m.put("estimated", new TreeSet<>(c.estimated())); // always there: [] when every count is exact
        return m;
    }
}
