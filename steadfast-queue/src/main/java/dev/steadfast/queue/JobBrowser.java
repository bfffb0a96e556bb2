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
    public static final List<String> STATES = List.of("pending", "scheduled", "running", "succeeded", "failed");

    private final ResilientDatabase db;
    private final JobRepository repository;

    JobBrowser(ResilientDatabase db, JobRepository repository) {
        this.db = db;
        this.repository = repository;
    }

    /**
     * Jobs in a state, newest first, skipping {@code offset} of them. Prefer {@link #listBefore}/{@link #listAfter}:
     * an offset costs a scan of everything it skips.
     *
     * @param search matches an id, a type or a unique key exactly; null or blank for all
     */
    public List<JobView> list(String state, String search, int offset, int limit) throws SQLException {
        checkState(state);
        return db.read(c -> repository.list(c, state, normalise(search), null, null, Math.max(0, offset), limit));
    }

    /** Jobs in a state, newest first, with ids below {@code beforeId} (null: the newest). */
    public List<JobView> listBefore(String state, String search, Long beforeId, int limit) throws SQLException {
        checkState(state);
        return db.read(c -> repository.list(c, state, normalise(search), beforeId, null, 0, limit));
    }

    /** The page just above {@code afterId}: the {@code limit} jobs with the next higher ids, newest first. */
    public List<JobView> listAfter(String state, String search, long afterId, int limit) throws SQLException {
        checkState(state);
        return db.read(c -> repository.list(c, state, normalise(search), null, afterId, 0, limit));
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
     * The failed-log entry of a job, with its stack trace and message (each at most 64 KB), without its
     * payload (the job's own view has it).
     */
    public Optional<FailedJob> failure(long jobId) throws SQLException {
        return db.read(c -> repository.failureOfJob(c, jobId));
    }

    /** The newest failed-log entries older than {@code beforeId} (null: the newest), without payloads or stack traces. */
    public List<FailedJob> failures(Long beforeId, int limit) throws SQLException {
        return db.read(c -> repository.failedSummaries(c, beforeId, limit));
    }

    /** Jobs finished per minute over the last {@code minutes} minutes, oldest first: [succeeded, failed] per minute. */
    public long[][] throughput(int minutes) throws SQLException {
        return db.read(c -> repository.throughput(c, minutes));
    }

    /** Workers with a heartbeat in the last day, newest first; alive when the last one is recent. */
    public List<WorkerView> workers(Duration alive) throws SQLException {
        return db.read(c -> repository.workers(c, alive));
    }

    private static void checkState(String state) {
        if (!STATES.contains(state)) {
            throw new IllegalArgumentException("unknown state '" + state + "' (one of " + STATES + ")");
        }
    }

    private static String normalise(String search) {
        return search == null || search.isBlank() ? null : search.trim();
    }
}
