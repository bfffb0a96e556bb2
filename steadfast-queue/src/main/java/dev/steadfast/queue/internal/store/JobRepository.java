package dev.steadfast.queue.internal.store;

import dev.steadfast.jdbc.ConnectionHealth;
import dev.steadfast.queue.FailedJob;
import dev.steadfast.queue.JobFilter;
import dev.steadfast.queue.JobState;
import dev.steadfast.queue.JobView;
import dev.steadfast.queue.QueueCounts;
import dev.steadfast.queue.QueueFacts;
import dev.steadfast.queue.RateLimit;
import dev.steadfast.queue.WorkerView;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every read and write of the {@code sf_} tables, in one place. Each method works on a connection it is
 * given, so that callers decide the transaction (a unit of work of steadfast-jdbc, or a caller's own
 * transaction for transactional enqueue). Writes about a claimed job are conditional on its lease token:
 * a worker whose lease was taken over cannot record anything for the job. Policy (what to do with an
 * expired lease, when to retry) is the queue's; this only says what the rows are and changes them as told.
 */
public interface JobRepository {

    /** A row to insert. */
    record NewJob(String queue, String type, String payloadJson, int priority, Duration delay, Instant runAt,
                  int maxAttempts, String uniqueKey, Duration timeout, String concurrencyKey, int concurrencyLimit) {

        /** A job without a concurrency limit. */
        public NewJob(String queue, String type, String payloadJson, int priority, Duration delay, Instant runAt,
                      int maxAttempts, String uniqueKey, Duration timeout) {
            this(queue, type, payloadJson, priority, delay, runAt, maxAttempts, uniqueKey, timeout, null, 0);
        }
    }

    /** A running job whose lease has expired: its worker stopped renewing it. */
    record ExpiredLease(long jobId, int attempts, int maxAttempts, String concurrencyKey) {
        /** Whether the interrupted attempt was its last. */
        public boolean exhausted() {
            return attempts >= maxAttempts;
        }
    }

    /** What a single insert came to: the job's id, and whether a live job already held its unique key. */
    record Inserted(long id, boolean matchedExisting) {
    }

    /** Where a page of a list ends: the last row's id and, for lists ordered by run time, its run time. */
    record Cursor(Instant runAt, long id) {
    }

    /** What operators set for a queue: paused (since when), its rate limit (or null). */
    record QueueSetting(String queue, boolean paused, Instant pausedAt, RateLimit rateLimit) {
    }

    /**
     * What a claim came to: the jobs, and when the earliest permit of a rate-limited queue it found none of frees
     * again (null when it met no such queue), so the worker asks again then rather than at its next idle poll.
     */
    record Claim(List<ClaimedJob> jobs, Duration nextPermitIn) {
    }

    /** One queue's counts (exact, or estimated where exactness would need a scan) and how long its oldest due job has waited. */
    record QueueCensus(String queue, QueueCounts counts, double oldestDueSeconds) {
    }

    // --- queue control

    /** Pauses or resumes a queue; false when it already was so. */
    boolean setPaused(Connection tx, String queue, boolean paused) throws SQLException;

    /**
     * Sets a queue's rate limit (null: none), keeping the starts of the last span counted so that changing a limit
     * never lets more through than the stricter of the old and the new; false when it already was so.
     */
    boolean setRateLimit(Connection tx, String queue, RateLimit limit) throws SQLException;

    /** The names of the rate-limited queues. */
    Set<String> rateLimitedQueues(Connection c) throws SQLException;

    /** Every queue with settings of its own, by name. */
    List<QueueSetting> queueSettings(Connection c) throws SQLException;

    // --- output of commands

    /** Records (or, replayed, records again) what one attempt of a job printed; false when the job is gone. */
    boolean recordOutput(Connection tx, long jobId, dev.steadfast.queue.JobOutput output) throws SQLException;

    /** What a job's attempts printed, the first attempt first. */
    List<dev.steadfast.queue.JobOutput> outputs(Connection c, long jobId) throws SQLException;

    /** Whether a queue has jobs, counts or settings (a name typed wrong has none). */
    boolean knownQueue(Connection c, String queue) throws SQLException;

    // --- schedules

    /** A schedule row: its cadence, the job it makes, and where it stands. */
    record StoredSchedule(String name, String cron, String zone, Long everyMs, NewJob job, String missed, boolean paused,
                          Instant nextRunAt, Instant lastRunAt, Long lastJobId) {
    }

    /** The database's clock now. */
    Instant now(Connection c) throws SQLException;

    /**
     * Adds or updates a schedule. An update keeps the next tick while cron, zone and interval stay the same (a worker
     * declaring its schedules at every start loses no tick), and takes {@code firstRun} otherwise.
     */
    void saveSchedule(Connection tx, StoredSchedule schedule, Instant firstRun) throws SQLException;

    /** Removes a schedule; false when there was none by that name. */
    boolean removeSchedule(Connection tx, String name) throws SQLException;

    /** Every schedule, by name. */
    List<StoredSchedule> schedules(Connection c) throws SQLException;

    /** Locks up to {@code limit} schedules with a tick due, skipping those another worker holds. */
    List<StoredSchedule> lockDueSchedules(Connection tx, int limit) throws SQLException;

    /** Moves a schedule on: its next tick, and the last tick it enqueued a job for (unchanged when null). */
    void advanceSchedule(Connection tx, String name, Instant next, Instant lastRun, Long lastJobId) throws SQLException;

    /** Pauses or resumes a schedule (resumed, from {@code next} on); false when it already was so, or is unknown. */
    boolean pauseSchedule(Connection tx, String name, boolean paused, Instant next) throws SQLException;

    /** Whether a schedule's next tick is this one (after a cut COMMIT: the advance committed). */
    boolean scheduleAt(Connection c, String name, Instant next) throws SQLException;

    /** Milliseconds until the earliest tick of any schedule (zero or less: due), or null without schedules. */
    Long untilNextTick(Connection c) throws SQLException;

    // --- cancellation

    /**
     * Cancels jobs: a pending one becomes cancelled at once, a running one is asked to stop (its worker records the
     * end); answers the state each found job had before (ids not found are absent).
     */
    Map<Long, JobState> cancel(Connection tx, Collection<Long> ids) throws SQLException;

    /** Which of these held jobs have been asked to stop (by id, for the lease this worker holds). */
    Set<Long> cancelRequested(Connection c, Collection<ClaimedJob> jobs) throws SQLException;

    /** Records that a running job stopped on request: cancelled, fenced by its lease. */
    boolean markCancelled(Connection c, ClaimedJob job) throws SQLException;

    // --- enqueue

    /**
     * Inserts jobs in the given order, many to a statement where the server allows; each id is the new job's, or the
     * live job's with the same unique key.
     */
    List<Long> insert(Connection c, List<NewJob> jobs) throws SQLException;

    /**
     * Whether a job of one of these types is due in one of these queues: the idle worker's poll, one index read in
     * autocommit where a claim is a locking transaction.
     */
    boolean anyDue(Connection c, Collection<String> queues, Collection<String> types) throws SQLException;

    /** Whether jobs with all of these ids exist (an empty list: false, nothing proves a write). */
    boolean allExist(Connection c, List<Long> ids) throws SQLException;

    /** Inserts one job, saying whether its unique key matched a live job (whose id it returns then). */
    Inserted insertOne(Connection c, NewJob job) throws SQLException;

    // --- claims and outcomes

    /**
     * Claims up to {@code limit} due jobs of the given types, skipping rows others hold: from the first queue
     * first (highest priority, then earliest), from the next only when the first has no more, and so on.
     */
    default List<ClaimedJob> claim(Connection tx, List<String> queues, Collection<String> types, int limit, String owner,
                                   long token, Duration lease) throws SQLException {
        return claim(tx, queues, types, limit, owner, token, lease, Set.of()).jobs();
    }

    /**
     * Claims as {@link #claim(Connection, List, Collection, int, String, long, Duration)} does, from the queues in
     * {@code rateLimited} only as many jobs as free permits allow. A queue rate-limited but not named there gives
     * nothing (a worker that has not learnt of a new limit cannot exceed it); one named there without permits gives
     * nothing either, until the caller learns that its limit is gone.
     */
    Claim claim(Connection tx, List<String> queues, Collection<String> types, int limit, String owner, long token,
                Duration lease, Set<String> rateLimited) throws SQLException;

    /** Jobs of these queues and types left to do now: running, due, or waiting to be retried (not delayed to later, not in a paused queue). */
    long unfinished(Connection c, Collection<String> queues, Collection<String> types) throws SQLException;

    /** Whether a claim with this token committed (its rows carry the token). */
    boolean claimCommitted(Connection c, long token) throws SQLException;

    /** Marks a job succeeded; false when the lease is no longer ours. */
    boolean markSucceeded(Connection c, ClaimedJob job) throws SQLException;

    /** Marks several jobs succeeded in one statement; returns how many were still ours. */
    int markAllSucceeded(Connection c, List<ClaimedJob> jobs) throws SQLException;

    /** Puts a failed attempt back for another after {@code delay}; false when the lease is no longer ours. */
    boolean scheduleRetry(Connection c, ClaimedJob job, Duration delay, JobFailure failure) throws SQLException;

    /** Fails a job for good and records it in the failed-job log; false when the lease is no longer ours. */
    boolean markFailed(Connection tx, ClaimedJob job, JobFailure failure, String worker) throws SQLException;

    /** Whether an outcome written under this lease committed: the job left {@code running} with our token. */
    boolean outcomeCommitted(Connection c, ClaimedJob job) throws SQLException;

    /** Gives unfinished jobs back (the interrupted attempt does not count); returns how many. */
    int release(Connection c, Collection<ClaimedJob> jobs) throws SQLException;

    // --- leases and maintenance

    /** Extends the leases of running jobs; returns how many are still ours. */
    int extendLeases(Connection c, Collection<ClaimedJob> jobs, Duration lease) throws SQLException;

    /** Locks up to {@code limit} running jobs whose lease has expired, for the caller's transaction to settle. */
    List<ExpiredLease> lockExpiredLeases(Connection tx, int limit) throws SQLException;

    /** Returns a job with an expired lease to its queue. */
    void requeueExpired(Connection tx, ExpiredLease lease, JobFailure reason) throws SQLException;

    /** Fails a job with an expired lease for good and records it in the failed-job log. */
    void failExpired(Connection tx, ExpiredLease lease, JobFailure reason) throws SQLException;

    /**
     * Deletes up to {@code limit} succeeded jobs finished longer ago than the retention; returns how many it found
     * to delete (a purger running at the same time may have deleted some of them first).
     */
    int purgeSucceeded(Connection c, Duration retention, int limit) throws SQLException;

    /** As {@link #purgeSucceeded}, for cancelled jobs (kept as long as succeeded ones). */
    int purgeCancelled(Connection c, Duration retention, int limit) throws SQLException;

    /** As {@link #purgeSucceeded}, for jobs failed for good (with their failed-job log row). */
    int purgeFailed(Connection c, Duration retention, int limit) throws SQLException;

    /**
     * The id of the newest failed job beyond the {@code keep} newest (by id), or 0 when there are at most {@code keep}:
     * that one and every older failed job are over the cap.
     */
    long failedBeyond(Connection c, long keep) throws SQLException;

    /** Deletes up to {@code limit} failed jobs with ids up to {@code lastId}, oldest first; returns how many it found. */
    int purgeFailedUpTo(Connection c, long lastId, int limit) throws SQLException;

    // --- workers

    /** Where a worker listens for wake-ups on its host's loopback, and the token a datagram must carry to count. */
    record Doorbell(int port, String token) {
    }

    /** The doorbell of a live worker and the queues it claims from. */
    record WorkerDoorbell(Doorbell doorbell, List<String> queues) {
    }

    /**
     * Whether this account may write the tables a worker writes: statements that touch no row, refused only for a
     * missing privilege. Empty when it may; any other error is thrown.
     */
    java.util.Optional<dev.steadfast.queue.MissingPrivilegeException> missingWritePrivilege(Connection c) throws SQLException;

    /** Says the worker is alive, on which host, for which queues, and where it listens for wake-ups (or null). */
    void heartbeat(Connection c, String workerId, String host, String queues, int running, int stuck, Doorbell doorbell)
            throws SQLException;

    /** The doorbells of workers on {@code host} whose last heartbeat is within {@code alive}. */
    List<WorkerDoorbell> doorbells(Connection c, String host, Duration alive) throws SQLException;

    void reportHealth(Connection c, String workerId, ConnectionHealth health) throws SQLException;

    void removeWorker(Connection c, String workerId) throws SQLException;

    /** Workers with a heartbeat in the last day, newest first; alive when the last one is within {@code alive}. */
    List<WorkerView> workers(Connection c, Duration alive) throws SQLException;

    /** Says which job types the worker handles (written once: a worker's handlers do not change while it runs). */
    void publishTypes(Connection c, String workerId, Collection<String> types) throws SQLException;

    /** A live worker's queues and the job types it handles (null: a worker of a version that did not say). */
    record LiveWorker(List<String> queues, List<String> types) {
    }

    /** Workers whose last heartbeat is within {@code alive}: what they serve. */
    List<LiveWorker> liveWorkerRoles(Connection c, Duration alive) throws SQLException;

    /** Due pending jobs of one queue and type: when the oldest of them was due. */
    record DueGroup(String queue, String type, Instant oldestRunAt) {
    }

    /**
     * Due pending jobs grouped by queue and type, at most {@code limit} groups: one index seek per group (a loose scan
     * of {@code sf_job_type}), however many jobs wait.
     */
    List<DueGroup> dueGroups(Connection c, int limit) throws SQLException;

    /** Due pending jobs of one queue and type, counted up to {@code cap} (reads at most {@code cap} index entries). */
    long countDue(Connection c, String queue, String type, long cap) throws SQLException;
    /** Workers that stopped cleanly within {@code within}, last stopped first (at most 200). */
    List<WorkerView> stoppedWorkers(Connection c, Duration within) throws SQLException;

    /** Records what a worker ran so far (and, with {@code stopped}, that it stopped cleanly now). */
    void recordWork(Connection c, String workerId, String host, String queues, long jobs, long failed, boolean stopped)
            throws SQLException;

    /** Deletes the records of workers not heard of for longer than {@code kept}; returns how many. */
    int forgetWorkerRecords(Connection c, Duration kept) throws SQLException;

    // --- counts, gauges, facts

    /**
     * Every queue's jobs by state, at a cost that grows with the number of queues and priorities, not with rows:
     * counts above {@link QueueCounts#EXACT_UP_TO} are estimates, and say so.
     */
    List<QueueCensus> census(Connection c) throws SQLException;

    /** Stores a census for every process's gauges to read, replacing the last one. */
    void saveCensus(Connection tx, List<QueueCensus> census) throws SQLException;

    /** The last stored census, if it was taken within {@code maxAge}. */
    List<QueueCensus> savedCensus(Connection c, Duration maxAge) throws SQLException;

    /**
     * Takes or keeps a role that one process holds at a time ({@code census}), for {@code hold} from now; true when
     * {@code holder} holds it now. Whoever finds the role expired takes it over.
     */
    boolean holdRole(Connection c, String role, String holder, Duration hold) throws SQLException;

    /** Gives up a role this holder holds, so that another process takes it at once. */
    void releaseRole(Connection c, String role, String holder) throws SQLException;

    /** Adds jobs finished per minute (epoch minute, then succeeded and failed) to the throughput tally. */
    void addFinished(Connection tx, Map<Long, long[]> perMinute) throws SQLException;

    /** Forgets throughput tallies older than {@code age}. */
    int forgetFinishedBefore(Connection c, Duration age) throws SQLException;

    long liveWorkers(Connection c, Duration alive) throws SQLException;

    /** What {@code doctor} looks at; empty when the tables do not exist (yet). */
    Optional<QueueFacts> facts(Connection c) throws SQLException;

    /** Jobs finished per minute over the last {@code minutes}, oldest first: [succeeded, failed]. */
    long[][] throughput(Connection c, int minutes) throws SQLException;

    // --- browsing and managing jobs

    /** The order of a list, and so what its cursor holds. */
    enum Order {
        /** When jobs will run, next first: cursor (run time, id). */
        RUN_TIME,
        /** Highest id first: cursor id. */
        NEWEST_FIRST,
        /** Lowest id first: cursor id. */
        OLDEST_FIRST
    }

    /**
     * A keyset page of jobs matching the filter, without payloads, in the given order; after the cursor's row when
     * one is given, skipping {@code offset} rows (an offset costs a scan of what it skips).
     */
    List<JobView> list(Connection c, JobFilter filter, Order order, Cursor after, int offset, int limit) throws SQLException;

    /** How many jobs match, counting no further than {@code cap}. */
    long count(Connection c, JobFilter filter, long cap) throws SQLException;

    /** Ids of up to {@code limit} jobs matching the filter that are not running, lowest first. */
    List<Long> ids(Connection c, JobFilter filter, int limit) throws SQLException;

    /** One job with at most {@code maxText} characters of its payload and last error, and its attempt history. */
    Optional<JobView> job(Connection c, long id, int maxText) throws SQLException;

    Optional<String> payload(Connection c, long id) throws SQLException;

    /** Deletes these jobs and their failure records, leaving running ones alone; returns how many jobs went. */
    int delete(Connection tx, Collection<Long> ids) throws SQLException;

    /**
     * Deletes those of these jobs that are (still) in state {@code onlyIn}, with their failure records: a job that
     * changed state since it was chosen is left alone. Returns how many jobs went.
     */
    int delete(Connection tx, Collection<Long> ids, JobState onlyIn) throws SQLException;

    /** Makes a scheduled job due now; false when it is not scheduled. */
    boolean runNow(Connection c, long id) throws SQLException;

    /** Puts failed jobs among these back in their queues with fresh attempts; returns how many. */
    int retry(Connection tx, Collection<Long> ids) throws SQLException;

    // --- failed jobs (rows of sf_job in state failed, with the details of their last error)

    /** Failed jobs matching the filter with ids below {@code beforeId} (null: the newest), without payloads or stack traces. */
    List<FailedJob> failures(Connection c, JobFilter filter, Long beforeId, int limit) throws SQLException;

    /** A failed job with at most {@code maxPayload} characters of its payload and {@code maxText} of its message and stack trace. */
    Optional<FailedJob> failure(Connection c, long jobId, int maxPayload, int maxText) throws SQLException;
}
