package dev.steadfast.queue.internal.coverage;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.StrandedJobs;
import dev.steadfast.queue.StrandedReport;
import dev.steadfast.queue.internal.store.Census;
import dev.steadfast.queue.internal.store.Store;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Finds due jobs no live worker will start. Costs one loose index scan (one seek per queue and type with pending jobs)
 * and, per stranded queue and type, a count of at most {@link StrandedJobs#COUNTED_UP_TO} + 1 index entries; at most
 * {@link #MAX_GROUPS} queues and types are looked at.
 */
public final class Stranding {
    /** How recent a heartbeat must be for its worker to count as alive (as on the dashboard's workers page). */
    public static final Duration ALIVE = Duration.ofMinutes(1);
    /** Queue-and-type groups read at most: a bound on the cost when producers invent names. */
    static final int MAX_GROUPS = 1000;
    /** Stranded groups counted and reported at most. */
    static final int MAX_REPORTED = 50;

    private final ResilientDatabase db;
    private final Store store;

    public Stranding(ResilientDatabase db, Store store) {
        this.db = db;
        this.store = store;
    }

    public StrandedReport report() throws SQLException {
        return db.read(c -> {
            WorkerCoverage coverage = new WorkerCoverage(store.workers().liveWorkerRoles(c, ALIVE));
            if (coverage.liveWorkers() == 0) {
                return new StrandedReport(0, List.of());
            }
            Instant now = store.schedules().now(c);
            List<StrandedJobs> stranded = new ArrayList<>();
            for (Census.DueGroup g : store.census().dueGroups(c, MAX_GROUPS)) {
                if (stranded.size() < MAX_REPORTED && !coverage.handles(g.queue(), g.type())) {
                    long due = store.census().countDue(c, g.queue(), g.type(), StrandedJobs.COUNTED_UP_TO + 1);
                    stranded.add(new StrandedJobs(
                            g.queue(),
                            g.type(),
                            due,
                            Duration.between(g.oldestRunAt(), now),
                            coverage.serves(g.queue())));
                }
            }
            return new StrandedReport(coverage.liveWorkers(), stranded);
        });
    }

    /** What to tell whoever enqueues into this queue with this type, when live workers exist and none will start it. */
    public Optional<String> hint(String queue, String type) throws SQLException {
        return new WorkerCoverage(db.read(c -> store.workers().liveWorkerRoles(c, ALIVE))).hint(queue, type);
    }

    /**
     * Due jobs in these queues of types not among {@code types}, by type (counted up to
     * {@link StrandedJobs#COUNTED_UP_TO} + 1 per queue): what a worker handling only {@code types} leaves behind.
     */
    public Map<String, Long> otherTypesDue(Collection<String> queues, Collection<String> types) throws SQLException {
        return db.read(c -> {
            Map<String, Long> left = new TreeMap<>();
            for (Census.DueGroup g : store.census().dueGroups(c, MAX_GROUPS)) {
                if (queues.contains(g.queue()) && !types.contains(g.type()) && left.size() < MAX_REPORTED) {
                    left.merge(
                            g.type(),
                            store.census().countDue(c, g.queue(), g.type(), StrandedJobs.COUNTED_UP_TO + 1),
                            Long::sum);
                }
            }
            return left;
        });
    }
}
