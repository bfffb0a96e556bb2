package dev.steadfast.queue;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.internal.store.JobRepository;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Read access to jobs and workers for dashboards: pages, search, one job, throughput, workers. Lists never
 * carry payloads ({@link JobView#payload()} is null in them) and only the first 500 characters of the last
 * error; a job's own view carries a bounded head of its payload; {@link #payload(long)} the whole of it.
 */
public final class JobBrowser {
    /** The states a list can show. */
    public static final List<String> STATES = JobFilter.STATES;

    /** Counts of a list stop here: counting costs a scan of what it counts. */
    public static final long COUNT_CAP = 100_000;

    private final ResilientDatabase db;
    private final JobRepository repository;

    JobBrowser(ResilientDatabase db, JobRepository repository) {
        this.db = db;
        this.repository = repository;
    }

    /**
     * A page of the jobs the filter matches: pending and scheduled jobs by when they will run (next first),
     * others newest first.
     *
     * @param cursor {@link JobPage#next()} of the previous page, or null for the first
     */
    public JobPage page(JobFilter filter, String cursor, int limit) throws SQLException {
        JobRepository.Cursor decoded = JobPage.decode(cursor);
        // a cursor of the other ordering (the state changed under it) starts from the first page
        JobRepository.Cursor after = decoded != null && (decoded.runAt() != null) == filter.byRunTime() ? decoded : null;
        List<JobView> rows = db.read(c -> repository.list(c, filter, after, limit + 1));
        boolean more = rows.size() > limit;
        List<JobView> shown = more ? rows.subList(0, limit) : rows;
        long total = db.read(c -> repository.count(c, filter, COUNT_CAP));
        String next = more ? JobPage.encode(shown.get(shown.size() - 1), filter.byRunTime()) : null;
        return new JobPage(shown, next, total, total >= COUNT_CAP);
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
        return db.read(c -> repository.job(c, id, maxChars));
    }

    /** The whole payload of a job, for a download. */
    public Optional<String> payload(long id) throws SQLException {
        return db.read(c -> repository.payload(c, id));
    }

    /**
     * A failed job with its stack trace and message (each at most 64 KB), without its payload (the job's own
     * view has it); empty when the job is not failed.
     */
    public Optional<FailedJob> failure(long jobId) throws SQLException {
        return db.read(c -> repository.failure(c, jobId, 0, 65_536));
    }

    /**
     * The newest failed jobs matching the filter with ids below {@code beforeId} (null: the newest), without
     * payloads or stack traces.
     */
    public List<FailedJob> failures(JobFilter filter, Long beforeId, int limit) throws SQLException {
        return db.read(c -> repository.failures(c, filter, beforeId, limit));
    }

    /**
     * Per queue, how long its oldest due job has waited to be claimed: the queue's latency (zero when nothing is
     * due). A growing latency means workers do not keep up.
     */
    public java.util.Map<String, Duration> latencies() throws SQLException {
        java.util.Map<String, Duration> latencies = new java.util.TreeMap<>();
        for (JobRepository.QueueDepth depth : db.read(repository::depths)) {
            latencies.put(depth.queue(), Duration.ofMillis(Math.round(depth.oldestDueSeconds() * 1000)));
        }
        return latencies;
    }

    /** Jobs finished per minute over the last {@code minutes} minutes, oldest first: [succeeded, failed] per minute. */
    public long[][] throughput(int minutes) throws SQLException {
        return db.read(c -> repository.throughput(c, minutes));
    }

    /** Workers with a heartbeat in the last day, newest first; alive when the last one is recent. */
    public List<WorkerView> workers(Duration alive) throws SQLException {
        return db.read(c -> repository.workers(c, alive));
    }
}
