package dev.steadfast.queue.internal.store;

import dev.steadfast.queue.QueueCounts;
import dev.steadfast.queue.QueueStats;
import dev.steadfast.queue.RateLimit;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BinaryOperator;

/**
 * The queue's SQL, one class per concept, each owning its tables and statements. Every method takes the connection
 * to run on (a unit of work's, or a caller's own transaction for a transactional enqueue) and holds none. Writes about
 * a claimed job are conditional on its lease token: a worker whose lease was taken over cannot record anything for
 * the job. Policy (what to do with an expired lease, when to retry) is the queue's; the store only says what the rows
 * are and changes them as told. Times are the database's ({@code NOW(3)}), never a worker's, so hosts with skewed
 * clocks agree on leases.
 */
public final class Store {
    private final JobInserts inserts;
    private final Claims claims = new Claims();
    private final Leases leases = new Leases();
    private final LeavingRunning leaving = new LeavingRunning();
    private final JobActions actions = new JobActions();
    private final JobSearch search = new JobSearch();
    private final FailedJobs failedJobs = new FailedJobs();
    private final JobOutputs outputs = new JobOutputs();
    private final JobResults results = new JobResults();
    private final JobSteps steps = new JobSteps();
    private final JobNotes notes = new JobNotes();
    private final QueueSettings settings = new QueueSettings();
    private final Schedules schedules = new Schedules();
    private final Purges purges = new Purges();
    private final Workers workers = new Workers();
    private final Census census = new Census();
    private final Roles roles = new Roles();
    private final Throughput throughput = new Throughput();
    private final JobBatches batches = new JobBatches();
    private final Dependencies dependencies = new Dependencies();
    private final WorkflowSteps workflowSteps = new WorkflowSteps();
    private final StepBatches stepBatches = new StepBatches();

    /** A store that inserts many jobs to a statement where {@code insertReturning} says the server can. */
    public Store(boolean insertReturning) {
        this.inserts = new JobInserts(insertReturning);
    }

    /** A store for reads and updates; its inserts go one row to a statement. */
    public Store() {
        this(false);
    }

    /** New jobs. */
    public JobInserts inserts() {
        return inserts;
    }

    /** Due jobs becoming running under a lease. */
    public Claims claims() {
        return claims;
    }

    /** Leases of running jobs: renewed, expired, asked to cancel. */
    public Leases leases() {
        return leases;
    }

    /** The one way out of running, with its side effects. */
    public LeavingRunning leaving() {
        return leaving;
    }

    /** Operators' actions on jobs: cancel, delete, run now, retry. */
    public JobActions actions() {
        return actions;
    }

    /** Pages, counts and details of jobs. */
    public JobSearch search() {
        return search;
    }

    /** Failed jobs with the details of their last error. */
    public FailedJobs failedJobs() {
        return failedJobs;
    }

    /** What commands run by jobs printed. */
    public JobOutputs outputs() {
        return outputs;
    }

    /** Jobs' results. */
    public JobResults results() {
        return results;
    }

    /** Jobs' durable steps. */
    public JobSteps steps() {
        return steps;
    }

    /** Running jobs' progress and logs. */
    public JobNotes notes() {
        return notes;
    }

    /** Paused queues and rate limits. */
    public QueueSettings settings() {
        return settings;
    }

    /** Schedules and their ticks. */
    public Schedules schedules() {
        return schedules;
    }

    /** Deleting finished jobs past their retention. */
    public Purges purges() {
        return purges;
    }

    /** Workers: heartbeats, doorbells, health, records. */
    public Workers workers() {
        return workers;
    }

    /** Counts per queue and state, stored census, due groups, facts. */
    public Census census() {
        return census;
    }

    /** Roles one process holds at a time. */
    public Roles roles() {
        return roles;
    }

    /** Batches: their counts, callbacks and progress. */
    public JobBatches batches() {
        return batches;
    }

    /** Jobs finished per minute. */
    public Throughput throughput() {
        return throughput;
    }

    /** Jobs that run after others: their edges. */
    public Dependencies dependencies() {
        return dependencies;
    }

    /** Workflows and their steps. */
    public WorkflowSteps workflowSteps() {
        return workflowSteps;
    }

    /** Batches that are workflows' steps: their members held and released, the batches of stand-in jobs. */
    public StepBatches stepBatches() {
        return stepBatches;
    }

    /**
     * Counts per state, overall and per queue (from the census), with the queues' settings: a queue that is paused or
     * rate-limited is listed even without jobs. {@code plus} adds two queues' counts up (the API's own sum).
     */
    public QueueStats stats(Connection c, BinaryOperator<QueueCounts> plus) throws SQLException {
        Map<String, QueueCounts> byQueue = new TreeMap<>();
        Set<String> paused = new TreeSet<>();
        Map<String, RateLimit> rateLimits = new TreeMap<>();
        for (Census.QueueCensus q : census.census(c)) {
            byQueue.put(q.queue(), q.counts());
        }
        for (QueueSettings.QueueSetting setting : settings.queueSettings(c)) {
            if (setting.paused()) {
                paused.add(setting.queue());
                byQueue.putIfAbsent(setting.queue(), QueueCounts.EMPTY);
            }
            if (setting.rateLimit() != null) {
                rateLimits.put(setting.queue(), setting.rateLimit());
                byQueue.putIfAbsent(setting.queue(), QueueCounts.EMPTY);
            }
        }
        QueueCounts total = byQueue.values().stream().reduce(QueueCounts.EMPTY, plus);
        return new QueueStats(total, byQueue, paused, rateLimits);
    }
}
