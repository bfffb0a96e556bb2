package dev.steadfast.queue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.internal.bulk.Batches;
import dev.steadfast.queue.internal.bulk.Cancellation;
import dev.steadfast.queue.internal.coverage.Stranding;
import dev.steadfast.queue.internal.enqueue.JobRows;
import dev.steadfast.queue.internal.enqueue.ProvenInsert;
import dev.steadfast.queue.internal.flow.ChainInsert;
import dev.steadfast.queue.internal.metrics.JobMetrics;
import dev.steadfast.queue.internal.schedule.ScheduleBook;
import dev.steadfast.queue.internal.store.JobInserts;
import dev.steadfast.queue.internal.store.NewJob;
import dev.steadfast.queue.internal.store.Store;
import dev.steadfast.queue.internal.worker.Operation;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The job queue: enqueue jobs and inspect them. Every write goes through a {@link ResilientDatabase}
 * unit of work, so a lost connection never loses or duplicates an enqueue.
 *
 * <pre>{@code
 * JobQueue queue = JobQueue.create(db);              // applies the sf_ schema
 * long id = queue.enqueue(JobRequest.of("email").payload(new Email(to, body)).build());
 * }</pre>
 */
public final class JobQueue {
    /** The largest payload accepted unless configured otherwise: 16 MiB of UTF-8 JSON. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

    private final ResilientDatabase db;
    private final ObjectMapper mapper;
    private final WakeUps wakeUps;
    private final JobMetrics metrics;
    private final int maxPayloadBytes;
    private final Store store;
    private final JobRows rows;
    private final ScheduleBook schedules;
    private final AmbientTransaction ambient; // null: every enqueue in a transaction of its own

    private JobQueue(
            ResilientDatabase db,
            ObjectMapper mapper,
            Store store,
            WakeUps wakeUps,
            JobMetrics metrics,
            int maxPayloadBytes) {
        this(db, mapper, store, wakeUps, metrics, maxPayloadBytes, null);
    }

    private JobQueue(
            ResilientDatabase db,
            ObjectMapper mapper,
            Store store,
            WakeUps wakeUps,
            JobMetrics metrics,
            int maxPayloadBytes,
            AmbientTransaction ambient) {
        this.ambient = ambient;
        this.db = db;
        this.mapper = mapper;
        this.wakeUps = wakeUps;
        this.metrics = metrics;
        this.maxPayloadBytes = maxPayloadBytes;
        this.store = store;
        this.rows = new JobRows(mapper, maxPayloadBytes);
        this.schedules = new ScheduleBook(db, store, rows);
    }

    /**
     * This queue refusing payloads larger than {@code maxBytes} (UTF-8 JSON) with a {@link PayloadTooLargeException}
     * before anything is written; it shares this queue's workers' wake-ups and meters.
     */
    public JobQueue withMaxPayloadBytes(int maxBytes) {
        if (maxBytes < 2) {
            throw new IllegalArgumentException(
                    "the maximum payload size must be at least 2 bytes ({}), got " + maxBytes);
        }
        return new JobQueue(db, mapper, store, wakeUps, metrics, maxBytes, ambient);
    }

    /**
     * This queue enqueueing into the caller's own transaction whenever the calling thread is in one ({@link #enqueue},
     * {@link #submit} and {@link #enqueueAll} then write on that transaction's connection: the jobs commit or roll
     * back with it, and idle workers are woken only after its commit); outside one, it enqueues as before. It shares
     * this queue's workers' wake-ups and meters. The Spring Boot starter joins Spring-managed transactions this way.
     */
    public JobQueue joining(AmbientTransaction transaction) {
        return new JobQueue(db, mapper, store, wakeUps, metrics, maxPayloadBytes, Objects.requireNonNull(transaction));
    }

    /**
     * This queue counting at most {@code limit} distinct queues and {@code limit} distinct job types apart in its
     * metrics; further values are counted under {@code _other}, so that producers cannot grow the scrape without end.
     */
    public JobQueue withMetricLabelLimit(int limit) {
        return new JobQueue(
                db, mapper, store, wakeUps, new JobMetrics(db.meterRegistry(), limit), maxPayloadBytes, ambient);
    }

    /** The largest payload this queue accepts, in bytes of UTF-8 JSON. */
    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    /**
     * A queue on the database, applying the schema first (see {@link #existing} to apply nothing). Payload fields a handler's class does not have are
     * ignored (a new field reaches old workers first in a rolling deploy).
     */
    public static JobQueue create(ResilientDatabase db) {
        return create(db, lenientMapper(), true);
    }

    /**
     * A queue on a database whose schema is managed elsewhere (a migration run by {@code steadfast migrate},
     * Flyway in your deployment): nothing is created or changed, so a database user without DDL rights (even a
     * read-only one, for reading) can use it.
     *
     * A connection or server lost while the schema is checked is waited out for {@link ResilientDatabase#startupPatience()}.
     *
     * @throws SchemaNotReadyException when the schema is missing or older than this version needs
     */
    public static JobQueue existing(ResilientDatabase db) {
        Migrations.SchemaStatus status = Migrations.status(db.dataSource(), db.startupPatience());
        if (!status.upToDate()) {
            throw new SchemaNotReadyException(status);
        }
        return create(db, lenientMapper(), false);
    }

    private static ObjectMapper lenientMapper() {
        return new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    /**
     * @param mapper  Jackson mapper for payloads
     * @param migrate whether to apply the schema now (waiting out a lost connection or server for
     *                {@link ResilientDatabase#startupPatience()})
     */
    public static JobQueue create(ResilientDatabase db, ObjectMapper mapper, boolean migrate) {
        if (migrate) {
            Migrations.apply(db.dataSource(), db.startupPatience());
        }
        Store store = new Store(db.serverTimeouts().supportsInsertReturning());
        return new JobQueue(
                db,
                mapper,
                store,
                new WakeUps(db, store),
                new JobMetrics(db.meterRegistry()),
                DEFAULT_MAX_PAYLOAD_BYTES);
    }

    public ResilientDatabase database() {
        return db;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    JobMetrics metrics() {
        return metrics;
    }

    Store store() {
        return store;
    }

    /**
     * Whether this database user may write the queue's tables as a worker does (claim, finish, register): checked with
     * statements that change no row. {@link Worker#start()} refuses to start without; {@code doctor} reports it.
     *
     * @return empty when it may; otherwise what the server refused, with the GRANT that fixes it
     * @throws SQLException any other error (no tables yet, the database unreachable)
     */
    public Optional<MissingPrivilegeException> missingWritePrivilege() throws SQLException {
        return db.read(store.workers()::missingWritePrivilege);
    }

    /** What a health check looks at (largest pending payload, backlog, expired leases, failed jobs); empty without tables. */
    public Optional<QueueFacts> facts() throws SQLException {
        return db.read(store.census()::facts);
    }

    WakeUps wakeUps() {
        return wakeUps;
    }

    /**
     * Waits up to {@code timeout} until idle workers on this host have been told of the jobs enqueued so far (they
     * are told in the background; a process that enqueues and exits at once calls this first, or its jobs wait
     * for the workers' next poll). Never throws: telling workers is best effort, polls find every job anyway.
     */
    public void awaitWakeUpsSent(Duration timeout) {
        wakeUps.awaitSent(timeout);
    }

    /** Enqueues a job; returns its id (the existing job's id when its unique key is taken). */
    public long enqueue(JobRequest request) throws SQLException {
        return submit(request).id();
    }

    /**
     * Enqueues a job and says what became of it: a new job, or a live job (pending, scheduled or running) that
     * already held the request's unique key, in which case nothing new was stored.
     */
    public Enqueued submit(JobRequest request) throws SQLException {
        if (!request.after().isEmpty()) { // a waiting job holds no unique key: it is always new
            return new Enqueued(enqueueAll(List.of(request)).get(0), false);
        }
        NewJob row = toRow(request);
        if (ambient != null) {
            Optional<JobInserts.Inserted> joined =
                    ambient.join(c -> store.inserts().insertOne(c, row), () -> announce(List.of(row)));
            if (joined.isPresent()) {
                return new Enqueued(joined.get().id(), joined.get().matchedExisting());
            }
        }
        JobInserts.Inserted inserted = new ProvenInsert(db, store).one(row);
        if (!inserted.matchedExisting()) {
            announce(List.of(row));
        }
        return new Enqueued(inserted.id(), inserted.matchedExisting());
    }

    /** Counts committed new jobs and wakes idle workers for their queues. */
    private void announce(List<NewJob> rows) {
        if (rows.isEmpty()) {
            return;
        }
        rows.stream()
                .collect(Collectors.groupingBy(r -> List.of(r.queue(), r.type()), Collectors.counting()))
                .forEach((key, n) -> metrics.enqueued(key.get(0), key.get(1), n.intValue()));
        wakeUps.fire(rows.stream().map(NewJob::queue).distinct().toList());
    }

    /** Enqueues jobs in one transaction: all or none. */
    public List<Long> enqueueAll(List<JobRequest> requests) throws SQLException {
        List<NewJob> rows = new ArrayList<>(requests.size());
        for (JobRequest request : requests) {
            rows.add(toRow(request));
        }
        if (rows.isEmpty()) {
            return List.of();
        }
        if (ambient != null) {
            Optional<List<Long>> joined =
                    ambient.join(c -> ChainInsert.insert(store, c, rows, requests), () -> announce(rows));
            if (joined.isPresent()) {
                return joined.get();
            }
        }
        List<Long> ids = ChainInsert.anyAfter(requests)
                ? ChainInsert.proven(db, store, rows, requests)
                : new ProvenInsert(db, store).all(rows);
        announce(rows);
        return ids;
    }

    /**
     * Enqueues inside the caller's transaction: the job exists only if that transaction commits.
     * Workers in this JVM are not woken; they find the job at their next poll.
     */
    public long enqueue(Connection transaction, JobRequest request) throws SQLException {
        return ChainInsert.insert(store, transaction, List.of(toRow(request)), List.of(request))
                .get(0);
    }

    /** Workflows (named DAGs of jobs): enqueue, read, list, cancel, retry; the parents of a job. */
    public Workflows workflows() {
        return new Workflows(db, store, this::toRow, () -> wakeUps.fire(null), batches());
    }

    /** Batches: enqueue them, add members, close, cancel, retry failed members, read their progress. */
    public QueueBatches batches() {
        return new QueueBatches(db, store, rows, ambient, this::announce);
    }

    /** A batch to fill and enqueue: {@code queue.batch().onSuccess(done).add(a, b).enqueue()}. */
    public BatchRequest batch() {
        return new BatchRequest(batches());
    }

    /** Read access for dashboards: job lists and details, throughput, workers. */
    public JobBrowser browser() {
        return new JobBrowser(db, store);
    }

    /**
     * Jobs of these queues and types a worker handling those types still has to do now: running, due, or failed
     * once and waiting out their retry backoff. Jobs enqueued with a delay and never tried do not count.
     */
    public long unfinished(List<String> queues, List<String> types) throws SQLException {
        if (queues.isEmpty() || types.isEmpty()) {
            return 0;
        }
        try (Operation op = Operation.named("count of unfinished jobs")) {
            return db.read(c -> store.claims().unfinished(c, queues, types));
        }
    }

    /**
     * Due jobs no live worker will start, by queue and type: no live worker claims from their queue, or none of those
     * that do handles their type. Empty when no worker is alive at all (see {@link StrandedReport}). Cheap at any
     * backlog: one index seek per queue and type with pending jobs, and bounded counts.
     */
    public StrandedReport stranded() throws SQLException {
        try (Operation op = Operation.named("search for stranded jobs")) {
            return new Stranding(db, store).report();
        }
    }

    /**
     * What to tell whoever enqueues a job of this queue and type when live workers exist and none of them will start it
     * (a typo'd type or queue, or a handler not deployed yet); empty otherwise. The job is enqueued all the same: during
     * a rolling deploy the worker that handles it may be on its way.
     */
    public Optional<String> unhandledHint(String queue, String type) throws SQLException {
        return new Stranding(db, store).hint(queue, type);
    }

    /**
     * Due jobs of these queues whose type is not among {@code types}, by type: what a worker handling only those types
     * leaves for others (counted up to {@link StrandedJobs#COUNTED_UP_TO} + 1 per queue and type).
     */
    public Map<String, Long> dueOfOtherTypes(List<String> queues, List<String> types) throws SQLException {
        return new Stranding(db, store).otherTypesDue(queues, types);
    }

    /**
     * Counts per state, overall and per queue: exact up to {@link QueueCounts#EXACT_UP_TO} jobs of a queue in a
     * state, estimated (and marked so) above, at a cost that grows with the number of queues, not of jobs.
     */
    public QueueStats stats() throws SQLException {
        return db.read(c -> store.stats(c, QueueCounts::plus));
    }

    /**
     * Pauses a queue: it keeps accepting jobs, and no worker starts one of them from the next claim on (a claim under
     * way when the pause commits may still take some); jobs already running finish. False when it was paused already.
     */
    public boolean pause(String queue) throws SQLException {
        String name = NameRule.queue(queue); // a paused queue gets a row: its name enters here
        return db.transaction(tx -> store.settings().setPaused(tx, name, true));
    }

    /**
     * Resumes a paused queue and wakes idle workers; false when it was not paused. The name is not checked against
     * {@link NameRule}: a queue paused under a name written before the rule can still be resumed.
     */
    public boolean resume(String queue) throws SQLException {
        Objects.requireNonNull(queue, "queue");
        boolean resumed = db.transaction(tx -> store.settings().setPaused(tx, queue, false));
        if (resumed) {
            wakeUps.fire(List.of(queue));
        }
        return resumed;
    }

    /**
     * Limits how many jobs of a queue start: at most {@code limit.jobs()} in any span of {@code limit.per()}, across
     * all workers (retries count). Workers learn of it within a second; until then they start none of the queue's jobs
     * rather than too many. Starts under the previous limit stay counted. False when the queue had this limit already.
     */
    public boolean limitRate(String queue, RateLimit limit) throws SQLException {
        Objects.requireNonNull(limit, "limit (removeRateLimit takes a limit away)");
        return setRateLimit(NameRule.queue(queue), limit);
    }

    /**
     * Takes a queue's rate limit away (workers learn of it within a second); false when it had none. The name is not
     * checked against {@link NameRule}, so that a limit set before the rule can still be taken away.
     */
    public boolean removeRateLimit(String queue) throws SQLException {
        return setRateLimit(Objects.requireNonNull(queue, "queue"), null);
    }

    private boolean setRateLimit(String queue, RateLimit limit) throws SQLException {
        boolean changed = db.transaction(tx -> store.settings().setRateLimit(tx, queue, limit));
        if (changed) {
            wakeUps.fire(List.of(queue));
        }
        return changed;
    }

    /**
     * Records what one attempt of a job printed (handlers that run commands call it before they return or fail), in a
     * unit of work of its own: a replay writes the same row again. False when the job no longer exists.
     */
    public boolean recordOutput(long jobId, JobOutput output) throws SQLException {
        return db.transaction(tx -> store.outputs().recordOutput(tx, jobId, output));
    }

    /** Every queue with settings of its own (paused or once paused, or rate-limited), by name. */
    public List<QueueControl> queueControls() throws SQLException {
        return db.read(c -> store.settings().queueSettings(c).stream()
                .map(q -> new QueueControl(q.queue(), q.paused(), q.pausedAt(), q.rateLimit()))
                .toList());
    }

    /** Whether any job, count or setting names this queue (a name typed wrong has none). */
    public boolean isKnownQueue(String queue) throws SQLException {
        return db.read(c -> store.settings().knownQueue(c, queue));
    }

    /**
     * Adds a schedule, or updates the one of that name (keeping its next tick while its cron expression, zone and
     * interval stay the same); answers it as stored, with its next tick.
     */
    public ScheduleView schedule(Schedule schedule) throws SQLException {
        return schedules.save(schedule);
    }

    /** Removes a schedule (jobs it enqueued stay); false when there is none by that name. */
    public boolean unschedule(String name) throws SQLException {
        return schedules.remove(name);
    }

    /** Every schedule, by name. */
    public List<ScheduleView> schedules() throws SQLException {
        return schedules.all();
    }

    /** Pauses a schedule: it enqueues nothing until resumed; false when it was paused already or does not exist. */
    public boolean pauseSchedule(String name) throws SQLException {
        return schedules.pause(name);
    }

    /**
     * Resumes a paused schedule from its next tick after now: ticks that passed while it was paused are not made up
     * for. False when it was not paused or does not exist.
     */
    public boolean resumeSchedule(String name) throws SQLException {
        return schedules.resume(name);
    }

    /** Cancels one job; see {@link CancelOutcome} for what that means in each state. */
    public CancelOutcome cancel(long id) throws SQLException {
        return cancel(List.of(id)).get(id);
    }

    /** Cancels jobs by id, in one transaction; answers what became of each, in the order given. */
    public Map<Long, CancelOutcome> cancel(Collection<Long> ids) throws SQLException {
        return new Cancellation(db, store).byIds(ids);
    }

    /**
     * Cancels every waiting and running job the filter matches (its state, if any, must be pending, scheduled or
     * running), waiting ones in batches of {@value #BATCH}; returns how many were cancelled or asked to stop.
     */
    public long cancel(JobFilter filter) throws SQLException {
        return new Cancellation(db, store).matching(filter);
    }

    /**
     * One job with its whole payload and its attempt history; empty when there is no such job (any more).
     *
     * @deprecated use {@link JobBrowser#job(long)} of {@link #browser()}: the one way to read jobs
     */
    @Deprecated
    public Optional<JobView> job(long id) throws SQLException {
        return browser().job(id);
    }

    /**
     * Deletes a job that is not running (a running job belongs to its worker until it finishes), with its
     * failure record; false when there is no such job or it is running.
     */
    public boolean delete(long id) throws SQLException {
        return db.transaction(tx -> store.actions().delete(tx, List.of(id))) == 1;
    }

    /**
     * Deletes every job the filter matches except running ones, in batches of {@value #BATCH} (each its own
     * transaction, so a large purge does not hold locks for long); returns how many were deleted.
     */
    public long delete(JobFilter filter) throws SQLException {
        JobState onlyIn = storedState(filter);
        // each batch deletes only jobs still in the filter's state: one retried meanwhile is not deleted as pending
        return inBatches(
                filter,
                (tx, ids) -> onlyIn == null
                        ? store.actions().delete(tx, ids)
                        : store.actions().delete(tx, ids, onlyIn));
    }

    /** Makes a scheduled job due now; false when the job is not scheduled (no such job, or already due). */
    public boolean runNow(long id) throws SQLException {
        boolean moved = db.transaction(tx -> store.actions().runNow(tx, id));
        if (moved) {
            wakeUps.fire(null);
        }
        return moved;
    }

    /** How many jobs match, counting no further than {@code cap} (counting costs a scan of what it counts). */
    public long count(JobFilter filter, long cap) throws SQLException {
        return db.read(c -> store.search().count(c, filter, cap));
    }

    /**
     * The newest failed jobs first, without payloads and stack traces.
     *
     * @deprecated use {@link JobBrowser#failures(JobFilter, Long, int)} of {@link #browser()}
     */
    @Deprecated
    public List<FailedJob> failedJobs(int limit) throws SQLException {
        return browser().failures(JobFilter.all(), null, limit);
    }

    /**
     * The newest failed jobs matching the filter (its state is taken as failed), without payloads and stack traces.
     *
     * @deprecated use {@link JobBrowser#failures(JobFilter, Long, int)} of {@link #browser()}
     */
    @Deprecated
    public List<FailedJob> failedJobs(JobFilter filter, int limit) throws SQLException {
        return browser().failures(filter, null, limit);
    }

    /**
     * A failed job by its job id, with payload and stack trace; empty when the job is not failed.
     *
     * @deprecated use {@link JobBrowser#failure(long, int)} of {@link #browser()} with {@link Integer#MAX_VALUE}
     */
    @Deprecated
    public Optional<FailedJob> failedJob(long jobId) throws SQLException {
        return browser().failure(jobId, Integer.MAX_VALUE);
    }

    /** Puts a failed job back in its queue with fresh attempts; false when the job is not failed. */
    public boolean retryFailed(long jobId) throws SQLException {
        boolean retried = db.transaction(tx -> store.actions().retry(tx, List.of(jobId))) == 1;
        wakeUps.fire(null);
        return retried;
    }

    /** Puts every failed job the filter matches back in its queue with fresh attempts; returns how many. */
    public long retryFailed(JobFilter filter) throws SQLException {
        long retried = inBatches(filter.status(JobStatus.FAILED), store.actions()::retry);
        wakeUps.fire(null);
        return retried;
    }

    /** Puts every failed job back in its queue; returns how many. */
    public int retryAllFailed() throws SQLException {
        return Math.toIntExact(retryFailed(JobFilter.all()));
    }

    /** Deletes a failed job (the job, not only its failure record); false when the job is not failed. */
    public boolean forgetFailed(long jobId) throws SQLException {
        return db.transaction(tx -> store.actions().delete(tx, List.of(jobId), JobState.FAILED)) == 1;
    }

    /** The stored state a filter's shown state lies in (scheduled jobs are stored as pending), or null for any. */
    private static JobState storedState(JobFilter filter) {
        return filter.status() == null ? null : filter.status().stored();
    }

    /** Deletes every failed job; returns how many. */
    public int flushFailed() throws SQLException {
        return Math.toIntExact(delete(JobFilter.all().status(JobStatus.FAILED)));
    }

    /** How many jobs a bulk action changes per transaction. */
    static final int BATCH = Batches.SIZE;

    private long inBatches(JobFilter filter, Batches.Action action) throws SQLException {
        return new Batches(db, store).apply(filter, action);
    }

    private NewJob toRow(JobRequest request) {
        return rows.row(request);
    }
}
