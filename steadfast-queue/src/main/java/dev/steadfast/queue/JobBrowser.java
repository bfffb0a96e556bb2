package dev.steadfast.queue;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.store.BrowseStore;
import dev.steadfast.queue.store.FailedJobStore;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Read access to jobs and workers for dashboards: pages, search, one job, throughput, workers. */
public final class JobBrowser {
    /** The states a list can show. */
    public static final List<String> STATES = List.of("pending", "scheduled", "running", "succeeded", "failed");

    private final ResilientDatabase db;

    JobBrowser(ResilientDatabase db) {
        this.db = db;
    }

    /**
     * Jobs in a state, newest first.
     *
     * @param search matches an id, a type or a unique key exactly; null or blank for all
     */
    public List<JobView> list(String state, String search, int offset, int limit) throws SQLException {
        if (!STATES.contains(state)) {
            throw new IllegalArgumentException("unknown state '" + state + "' (one of " + STATES + ")");
        }
        String q = search == null || search.isBlank() ? null : search.trim();
        return db.read(c -> BrowseStore.list(c, state, q, offset, limit));
    }

    public Optional<JobView> job(long id) throws SQLException {
        return db.read(c -> BrowseStore.job(c, id));
    }

    /** The failed-log entry of a job, with its stack trace. */
    public Optional<FailedJob> failure(long jobId) throws SQLException {
        return db.read(c -> FailedJobStore.findByJob(c, jobId));
    }

    /** Jobs finished per minute over the last {@code minutes} minutes, oldest first: [succeeded, failed] per minute. */
    public long[][] throughput(int minutes) throws SQLException {
        return db.read(c -> BrowseStore.throughput(c, minutes));
    }

    /** Workers with a heartbeat in the last day, newest first; alive when the last one is recent. */
    public List<WorkerView> workers(Duration alive) throws SQLException {
        return db.read(c -> BrowseStore.workers(c, alive));
    }
}
