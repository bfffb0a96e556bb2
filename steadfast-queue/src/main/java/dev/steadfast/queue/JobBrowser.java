package dev.steadfast.queue;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.internal.store.Census;
import dev.steadfast.queue.internal.store.JobSearch;
import dev.steadfast.queue.internal.store.Store;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Read access to jobs and workers for dashboards: pages, search, one job, throughput, workers. Lists never
 * carry payloads ({@link JobView#payload()} is null in them) and only the first 500 characters of the last
 * error; a job's own view carries a bounded head of its payload; {@link #payload(long)} the whole of it.
 */
public final class JobBrowser {
    /**
     * The states a list can show.
     *
     * @deprecated use {@link JobStatus#values()} (or {@link JobStatus#TEXTS} for their text)
     */
    @Deprecated
    public static final List<String> STATES = JobStatus.TEXTS;

    /** Counts of a list stop here: counting costs a scan of what it counts ("10,000+" is shown instead). */
    public static final long COUNT_CAP = QueueCounts.EXACT_UP_TO;

    private final ResilientDatabase db;
    private final Store store;

    JobBrowser(ResilientDatabase db, Store store) {
        this.db = db;
        this.store = store;
    }

    /**
     * A page of the jobs the filter matches: pending and scheduled jobs by when they will run (next first),
     * others newest first.
     *
     * @param cursor {@link JobPage#next()} of the previous page, or null for the first
     */
    public JobPage page(JobFilter filter, String cursor, int limit) throws SQLException {
        JobSearch.Cursor decoded = JobPage.decode(cursor);
        // a cursor of the other ordering (the state changed under it) starts from the first page
        JobSearch.Cursor after = decoded != null && (decoded.runAt() != null) == filter.byRunTime() ? decoded : null;
        JobSearch.Order order = filter.byRunTime() ? JobSearch.Order.RUN_TIME : JobSearch.Order.NEWEST_FIRST;
        List<JobView> rows = db.read(c -> store.search().list(c, filter, order, after, 0, limit + 1));
        boolean more = rows.size() > limit;
        List<JobView> shown = more ? rows.subList(0, limit) : rows;
        long total = db.read(c -> store.search().count(c, filter, COUNT_CAP));
        String next = more ? JobPage.encode(shown.get(shown.size() - 1), filter.byRunTime()) : null;
        return new JobPage(shown, next, total, total >= COUNT_CAP);
    }

    /**
     * Jobs in a state, newest first, skipping {@code offset} of them.
     *
     * @param search an id, or the start of a type or unique key; null or blank for all
     * @deprecated use {@link #page}: an offset costs a scan of everything it skips
     */
    @Deprecated
    public List<JobView> list(String state, String search, int offset, int limit) throws SQLException {
        JobFilter filter = JobFilter.all().state(state).search(search);
        return db.read(
                c -> store.search().list(c, filter, JobSearch.Order.NEWEST_FIRST, null, Math.max(0, offset), limit));
    }

    /**
     * Jobs in a state, newest first, with ids below {@code beforeId} (null: the newest).
     *
     * @deprecated use {@link #page}, which also filters by queue and type and orders due jobs by run time
     */
    @Deprecated
    public List<JobView> listBefore(String state, String search, Long beforeId, int limit) throws SQLException {
        JobFilter filter = JobFilter.all().state(state).search(search);
        JobSearch.Cursor after = beforeId == null ? null : new JobSearch.Cursor(null, beforeId);
        return db.read(c -> store.search().list(c, filter, JobSearch.Order.NEWEST_FIRST, after, 0, limit));
    }

    /**
     * The page just above {@code afterId}: the {@code limit} jobs with the next higher ids, newest first.
     *
     * @deprecated use {@link #page}
     */
    @Deprecated
    public List<JobView> listAfter(String state, String search, long afterId, int limit) throws SQLException {
        JobFilter filter = JobFilter.all().state(state).search(search);
        List<JobView> jobs = new ArrayList<>(db.read(c -> store.search()
                .list(c, filter, JobSearch.Order.OLDEST_FIRST, new JobSearch.Cursor(null, afterId), 0, limit)));
        Collections.reverse(jobs);
        return jobs;
    }

    /** One job, with its whole payload. */
    public Optional<JobView> job(long id) throws SQLException {
        return job(id, Integer.MAX_VALUE);
    }

    /**
     * One job with at most {@code maxChars} characters of its payload and of its last error: a page can show
     * a job whose payload is megabytes without holding all of it.
     */
    public Optional<JobView> job(long id, int maxChars) throws SQLException {
        return db.read(c -> store.search().job(c, id, maxChars));
    }

    /** What the job's attempts printed, when it runs as a command; the first attempt first. */
    public List<JobOutput> outputs(long id) throws SQLException {
        return db.read(c -> store.outputs().outputs(c, id));
    }

    /** A job's result (JSON as stored, not masked), if it returned one ({@link JobContext#result}). */
    public Optional<String> result(long id) throws SQLException {
        return db.read(c -> store.results().read(c, id));
    }

    /** A job's latest progress ({@link JobContext#progress}), if it reported any. */
    public Optional<JobProgress> progress(long id) throws SQLException {
        return db.read(c -> store.notes().progress(c, id));
    }

    /** What each attempt of a job logged ({@link JobContext#log}), first attempt first. */
    public List<JobLog> logs(long id) throws SQLException {
        return db.read(c -> store.notes().logs(c, id));
    }

    /** The whole payload of a job, for a download. */
    public Optional<String> payload(long id) throws SQLException {
        return db.read(c -> store.search().payload(c, id));
    }

    /**
     * A failed job with its stack trace and message (each at most 64 KB), without its payload (the job's own
     * view has it); empty when the job is not failed.
     */
    public Optional<FailedJob> failure(long jobId) throws SQLException {
        return db.read(c -> store.failedJobs().failure(c, jobId, 0, 65_536));
    }

    /**
     * A failed job with at most {@code maxChars} characters of its payload, of its stack trace and of its message
     * ({@link Integer#MAX_VALUE}: all of them); empty when the job is not failed.
     */
    public Optional<FailedJob> failure(long jobId, int maxChars) throws SQLException {
        return db.read(c -> store.failedJobs().failure(c, jobId, maxChars, maxChars));
    }

    /**
     * The newest failed jobs with ids below {@code beforeId} (null: the newest), without payloads or stack traces.
     *
     * @deprecated use {@link #failures(JobFilter, Long, int)}
     */
    @Deprecated
    public List<FailedJob> failures(Long beforeId, int limit) throws SQLException {
        return failures(JobFilter.all(), beforeId, limit);
    }

    /**
     * The newest failed jobs matching the filter with ids below {@code beforeId} (null: the newest), without
     * payloads or stack traces.
     */
    public List<FailedJob> failures(JobFilter filter, Long beforeId, int limit) throws SQLException {
        return db.read(c -> store.failedJobs().failures(c, filter, beforeId, limit));
    }

    /**
     * Per queue, how long its oldest due job has waited to be claimed: the queue's latency (zero when nothing is
     * due). A growing latency means workers do not keep up.
     */
    public Map<String, Duration> latencies() throws SQLException {
        Map<String, Duration> latencies = new TreeMap<>();
        for (Census.QueueCensus q : db.read(store.census()::census)) {
            latencies.put(q.queue(), Duration.ofMillis(Math.round(q.oldestDueSeconds() * 1000)));
        }
        return latencies;
    }

    /**
     * Jobs finished per minute over the last {@code minutes} minutes, oldest first: [succeeded, failed] per minute.
     *
     * @deprecated use {@link #finishedPerMinute(int)}, which names what each number is
     */
    @Deprecated
    public long[][] throughput(int minutes) throws SQLException {
        return db.read(c -> store.throughput().throughput(c, minutes));
    }

    /** Jobs finished per minute over the last {@code minutes} minutes, one entry per minute, oldest first. */
    public List<MinuteThroughput> finishedPerMinute(int minutes) throws SQLException {
        long[][] perMinute = db.read(c -> store.throughput().throughput(c, minutes));
        List<MinuteThroughput> counts = new ArrayList<>(perMinute.length);
        for (int i = 0; i < perMinute.length; i++) {
            counts.add(new MinuteThroughput(perMinute.length - 1 - i, perMinute[i][0], perMinute[i][1]));
        }
        return List.copyOf(counts);
    }

    /** Workers with a heartbeat in the last day, newest first; alive when the last one is recent. */
    public List<WorkerView> workers(Duration alive) throws SQLException {
        return db.read(c -> store.workers().workers(c, alive));
    }

    /**
     * Workers that stopped cleanly within {@code within} (kept up to two days), last stopped first, with the jobs they
     * ran: they left {@link #workers}, which lists running (or dead) ones.
     */
    public List<WorkerView> stoppedWorkers(Duration within) throws SQLException {
        return db.read(c -> store.workers().stoppedWorkers(c, within));
    }
}
