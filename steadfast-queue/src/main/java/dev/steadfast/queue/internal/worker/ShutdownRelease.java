package dev.steadfast.queue.internal.worker;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.internal.store.ClaimedJob;
import dev.steadfast.queue.internal.store.Store;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the jobs a stopping worker cannot finish back to their queue: claimed jobs no thread started, and jobs still
 * running past the shutdown grace. Each released job is logged once, as released; what its interrupted handler does
 * afterwards is not an outcome of the job's ({@link StopRequests#isReleased}), so it is neither recorded nor logged as
 * a failure or a lost lease.
 */
public final class ShutdownRelease {
    private static final Logger LOG = LoggerFactory.getLogger(ShutdownRelease.class);

    private final ResilientDatabase db;
    private final Store store;
    private final StopRequests stops;
    private final JobCounts counts;

    public ShutdownRelease(ResilientDatabase db, Store store, StopRequests stops, JobCounts counts) {
        this.db = db;
        this.store = store;
        this.stops = stops;
        this.counts = counts;
    }

    /** Claimed jobs that never started: back to the queue, their attempt not counted. */
    public void notStarted(List<ClaimedJob> jobs) {
        List<ClaimedJob> released = release(jobs, "release of " + jobs.size() + " claimed job(s)");
        if (!released.isEmpty()) {
            LOG.info(
                    "released {} claimed job(s) that had not started back to the queue: {}",
                    released.size(),
                    released.stream().map(ClaimedJob::id).toList());
        }
    }

    /** Jobs still running when the grace ran out; call before their threads are interrupted. */
    public void pastGrace(List<ClaimedJob> jobs, long graceSeconds) {
        jobs.forEach(job -> stops.releasing(job.id()));
        for (ClaimedJob job : release(jobs, "release of " + jobs.size() + " unfinished job(s)")) {
            LOG.info(
                    "job {} (type {}, queue {}) released back to its queue: still running after the {} s shutdown grace;"
                            + " its handler is interrupted, attempt {}/{} is not counted and the job runs again",
                    job.id(),
                    job.type(),
                    job.queue(),
                    graceSeconds,
                    job.attempt(),
                    job.maxAttempts());
        }
    }

    private List<ClaimedJob> release(List<ClaimedJob> jobs, String what) {
        try (Operation op = Operation.named(what)) {
            List<ClaimedJob> released = db.read(c -> {
                List<ClaimedJob> done = new ArrayList<>();
                for (ClaimedJob job : jobs) {
                    if (store.leaving().release(c, List.of(job)) == 1) {
                        done.add(job);
                    }
                }
                return done;
            });
            counts.released(released.stream().map(ClaimedJob::id).toList());
            return released;
        } catch (SQLException e) {
            LOG.warn(
                    "could not release {} job(s) at shutdown ({}); they return to their queue when their leases expire",
                    jobs.size(),
                    e.getMessage());
            return List.of();
        }
    }
}
