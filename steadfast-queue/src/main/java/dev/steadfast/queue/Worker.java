package dev.steadfast.queue;

import dev.steadfast.jdbc.internal.threads.DaemonThreads;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.jdbc.internal.retry.Backoff;
import dev.steadfast.queue.events.WorkerListener;
import dev.steadfast.queue.internal.metrics.JobMetrics;
import dev.steadfast.queue.internal.store.ClaimedJob;
import dev.steadfast.queue.internal.worker.DatabaseHealth;
import dev.steadfast.queue.internal.worker.FinishedTally;
import dev.steadfast.queue.internal.worker.HandlerRegistry;
import dev.steadfast.queue.internal.worker.Claimer;
import dev.steadfast.queue.internal.worker.JobCounts;
import dev.steadfast.queue.internal.worker.JobRunner;
import dev.steadfast.queue.internal.worker.ScheduleDeclarations;
import dev.steadfast.queue.internal.worker.ShutdownRelease;
import dev.steadfast.queue.internal.worker.WorkerGauges;
import dev.steadfast.queue.internal.worker.WorkerRecord;
import dev.steadfast.queue.internal.schedule.Ticker;
import dev.steadfast.queue.internal.worker.LeaseKeeper;
import dev.steadfast.queue.internal.worker.StopRequests;
import dev.steadfast.queue.internal.worker.Maintenance;
import dev.steadfast.queue.internal.worker.PollPolicy;
import dev.steadfast.queue.internal.wakeup.DoorbellListener;
import dev.steadfast.queue.internal.worker.QueueOrder;
import dev.steadfast.queue.internal.worker.Retention;
import dev.steadfast.queue.internal.worker.WorkerLimits;
import dev.steadfast.queue.internal.worker.WorkerState;
import dev.steadfast.queue.internal.worker.WritePrivileges;
import dev.steadfast.queue.internal.worker.Listeners;
import dev.steadfast.queue.internal.worker.OutcomeWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs jobs: claims batches with {@code SELECT ... FOR UPDATE SKIP LOCKED}, leases them, runs them on
 * {@code concurrency} threads, renews the leases while they run, records each outcome under its lease,
 * and returns the jobs of crashed workers to the queue. Every database write goes through a unit of
 * work of steadfast-jdbc, so a dropped connection costs a replay, never a job or a failure record.
 *
 * <pre>{@code
 * Worker worker = Worker.builder(queue).handler(new SendEmail()).concurrency(8).build();
 * worker.start();
 * ...
 * worker.stop(); worker.awaitTermination(Duration.ofSeconds(30));
 * }</pre>
 */
public final class Worker {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    // waiting out a database that does not answer: never a tight loop, and many workers spread out
    private static final Backoff FAILURE_BACKOFF = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(5));
    /** How often a worker adds its finished jobs to the throughput tally. */
    private static final long TALLY_FLUSH_SECONDS = 5;

    /** What a health probe reports. */
    public enum Health { NEW, RUNNING, DEGRADED, STOPPING, STOPPED }

    private final JobQueue queue;
    private final ResilientDatabase db;
    private final Settings settings;
    private final String workerId;
    private final DatabaseHealth databaseHealth;
    private final JobMetrics metrics;
    private final OutcomeWriter outcomes;
    private final JobRunner runner;
    private final Claimer claimer;
    private final List<String> types;
    private final LeaseKeeper leaseKeeper;
    private final Maintenance maintenance;
    private final FinishedTally tally;
    private WorkerGauges gauges;
    private final ThreadPoolExecutor executor;
    private final ScheduledExecutorService scheduler;
    // interrupts attempts that run out of time; its own thread, so housekeeping never delays a timeout
    private final ScheduledExecutorService timers;
    private final StopRequests stops = new StopRequests();
    private final JobCounts counts = new JobCounts();
    private final ShutdownRelease release;
    private final WorkerRecord record;
    private final Semaphore slots;
    private final Map<Long, ClaimedJob> running = new ConcurrentHashMap<>();
    private final AtomicLong processed = new AtomicLong();
    private final AtomicInteger wakeUps = new AtomicInteger();
    private final Object pollLock = new Object();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final Runnable wakeUp = this::wake;
    private final WorkerState state = new WorkerState();
    private final WorkerLimits limits;
    private final PollPolicy polling;
    private volatile Instant startedAt;
    private Thread poller;
    private Thread ticker;
    private List<Schedule> schedules = List.of();
    private boolean runSchedules = true;
    private volatile DoorbellListener doorbell;
    // the last claim found nothing and no wake-up came since: the next poll is a cheap read, not a claim
    private boolean idle;
    private Duration idlePause;
    private long nextPermitAt; // System.nanoTime() when a rate-limited queue's next permit frees; 0: none known

    /** Worker settings. */
    record Settings(QueueOrder order, int concurrency, int batchSize, Duration minPoll, Duration maxPoll,
                    Duration lease, RetryBackoff backoff, long maxJobs, Duration maxTime, long maxMemoryMb,
                    Duration shutdownGrace, Retention retention, Clock clock, boolean doorbell) {
        List<String> queues() {
            return order.queues();
        }
    }

    private Worker(JobQueue queue, HandlerRegistry handlers, FinishedTally tally, Settings settings, String workerId,
                   Listeners given) {
        Listeners listeners = new Listeners(List.of(given, counts));
        this.queue = queue;
        this.tally = tally;
        this.db = queue.database();
        this.settings = settings;
        this.workerId = workerId;
        this.limits = new WorkerLimits(settings.maxJobs(), settings.maxTime(), settings.maxMemoryMb());
        this.polling = new PollPolicy(settings.concurrency(), settings.batchSize(), settings.minPoll(), settings.maxPoll());
        this.metrics = queue.metrics();
        this.databaseHealth = new DatabaseHealth(settings.clock(), listeners);
        this.outcomes = new OutcomeWriter(db, queue.store(), workerId, databaseHealth);
        outcomes.onSlotsFreed(this::wake);
        this.timers = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("steadfast-attempt-timeouts"));
        this.runner = new JobRunner(db, queue.store(), handlers, queue.mapper(), settings.backoff(), outcomes, workerId,
                listeners, settings.clock(), () -> !state.running(), stops, timers);
        this.types = handlers.types();
        this.claimer = new Claimer(db, queue.store(), settings.order(), types, workerId, settings.lease(), metrics,
                databaseHealth);
        this.leaseKeeper = new LeaseKeeper(db, queue.store(), workerId, settings.queues(), types, settings.lease(), running::values,
                () -> doorbell == null ? null : doorbell.doorbell(), stops);
        this.maintenance = new Maintenance(db, queue.store(), settings.retention());
        this.release = new ShutdownRelease(db, queue.store(), stops, counts);
        this.record = new WorkerRecord(db, queue.store(), workerId, settings.queues(), counts);
        // Claimed jobs may wait briefly in the executor's queue: claiming ahead keeps threads busy and
        // claims batched. Their leases are renewed like those of running jobs.
        this.slots = new Semaphore(settings.concurrency() + settings.batchSize());
        this.executor = new ThreadPoolExecutor(settings.concurrency(), settings.concurrency(), 0, TimeUnit.MILLISECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(), DaemonThreads.numbered("steadfast-job"));
        this.scheduler = Executors.newScheduledThreadPool(1, DaemonThreads.named("steadfast-worker-housekeeping"));
    }

    public static Builder builder(JobQueue queue) {
        return new Builder(queue);
    }

    public String id() {
        return workerId;
    }

    public Health health() {
        return switch (state.phase()) {
            case NEW -> Health.NEW;
            case RUNNING -> !databaseHealth.reachable() || outcomes.waiting() > 0 ? Health.DEGRADED : Health.RUNNING;
            case STOPPING -> Health.STOPPING;
            case STOPPED -> Health.STOPPED;
        };
    }

    /** Since when this worker has found its database unreachable; empty while it is reachable. */
    public Optional<Instant> databaseDownSince() {
        return Optional.ofNullable(databaseHealth.downSince());
    }

    /**
     * Jobs whose attempt timed out and whose handler still runs, ignoring the interrupt: their threads (and slots) stay
     * taken until they end. Also logged, published with the heartbeat (the dashboard's workers page) and measured
     * ({@code steadfast.worker.stuck.jobs}).
     */
    public int stuckJobs() {
        return stops.stuck();
    }

    /** Jobs claimed by this worker and not finished yet (running or waiting for a thread). */
    public List<Long> currentJobs() {
        return List.copyOf(running.keySet());
    }

    /** The job types this worker handles (and the only ones it claims). */
    public List<String> types() {
        return types;
    }

    /** The queues this worker claims from. */
    public List<String> queues() {
        return settings.queues();
    }

    /** Attempts this worker has finished (any outcome, released ones too): a job retried here counts once per attempt. */
    public long processed() {
        return processed.get();
    }

    /**
     * Starts claiming and running jobs.
     *
     * @throws MissingPrivilegeException the database user may not write the queue's tables (checked first, so the
     *                                   worker never reports started then fails every poll)
     */
    public void start() {
        WritePrivileges.require(queue, workerId);
        startedAt = settings.clock().instant();
        if (!state.start()) {
            throw new IllegalStateException("worker already started");
        }
        if (settings.doorbell()) {
            try {
                doorbell = DoorbellListener.open(this::wake);
            } catch (java.io.IOException | RuntimeException e) {
                LOG.warn("worker {} cannot listen for wake-ups on the loopback interface ({}); jobs from other processes"
                        + " start at its next poll", workerId, e.toString());
            }
        }
        queue.wakeUps().register(wakeUp, doorbellPort());
        long beat = Math.max(100, settings.lease().toMillis() / 3);
        scheduler.scheduleWithFixedDelay(leaseKeeper::beat, 0, beat, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::reap, beat, beat, TimeUnit.MILLISECONDS);
        // soon after the start too: a worker started now and then (a cron job, --stop-when-empty) purges as well
        scheduler.scheduleWithFixedDelay(maintenance::purgeFinished, 2, 60, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(tally::flush, TALLY_FLUSH_SECONDS, TALLY_FLUSH_SECONDS, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(record::report, 0, TALLY_FLUSH_SECONDS, TimeUnit.SECONDS);
        poller = DaemonThreads.thread("steadfast-worker-poller", this::pollLoop);
        poller.start();
        if (runSchedules) {
            Ticker schedulesTicker = new Ticker(db, queue.store(), Schedule.MAX_CATCH_UP, queues -> queue.wakeUps().fire(queues));
            ticker = DaemonThreads.thread("steadfast-schedules", () -> {
                ScheduleDeclarations.save(queue, schedules, state::running);
                schedulesTicker.run();
            });
            ticker.start();
        }
        LOG.info("worker {} started: queues {}, concurrency {}; keeps {}", workerId, settings.order(), settings.concurrency(),
                settings.retention().summary());
    }

    /** Stops claiming; running jobs get the shutdown grace period to finish, then their leases are released. */
    public void stop() {
        switch (state.stop()) {
            case NEVER_STARTED -> {
                terminated.countDown();
                return;
            }
            case ALREADY -> {
                return;
            }
            case BEGUN -> {
                // this call runs the shutdown, below
            }
        }
        queue.wakeUps().unregister(wakeUp, doorbellPort());
        wake();
        Thread finisher = DaemonThreads.thread("steadfast-worker-stop", this::finish);
        finisher.start();
    }

    /**
     * Stops gracefully when the JVM is asked to exit (SIGTERM, SIGINT, {@code System.exit}): no more
     * claims, running jobs get the grace period, the rest are released. Call before {@link #start()}.
     */
    public Worker stopOnShutdown() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop();
            try {
                awaitTermination(settings.shutdownGrace().plusSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "steadfast-worker-shutdown"));
        return this;
    }

    /** Waits until the worker has stopped; false on timeout. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void finish() {
        try {
            if (ticker != null) {
                ticker.interrupt();
                ticker.join();
            }
            if (poller != null) {
                poller.join();
            }
            releaseNotStarted();
            executor.shutdown();
            if (!executor.awaitTermination(settings.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                List<ClaimedJob> unfinished = new ArrayList<>(running.values());
                release.pastGrace(unfinished, settings.shutdownGrace().toSeconds());
                unfinished.forEach(job -> running.remove(job.id()));
                executor.shutdownNow();
            }
            outcomes.close();
            outcomes.flush();
            tally.flush();
            // no heartbeat may put the row back after it is gone
            scheduler.shutdownNow();
            timers.shutdownNow();
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
            record.stopped();
            leaseKeeper.leave();
            if (doorbell != null) {
                doorbell.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            scheduler.shutdownNow();
            if (gauges != null) {
                gauges.remove();
            }
            state.stopped();
            LOG.info("worker {} stopped after {}", workerId, counts.summary());
            terminated.countDown();
        }
    }

    // a database that fails is waited out longer than an empty queue is polled: idle polls are cheap reads, a
    // failing claim is a unit of work that has already retried
    private Duration failurePauseCap() {
        Duration floor = Duration.ofSeconds(2);
        return settings.maxPoll().compareTo(floor) > 0 ? settings.maxPoll() : floor;
    }

    private Integer doorbellPort() {
        DoorbellListener bell = doorbell;
        return bell == null ? null : bell.doorbell().port();
    }

    /** Wake-ups received at this worker's doorbell from other processes (0 without a doorbell). */
    long doorbellRings() {
        DoorbellListener bell = doorbell;
        return bell == null ? 0 : bell.rings();
    }

    private void pollLoop() {
        idlePause = settings.minPoll();
        int failures = 0;
        while (state.running()) {
            Optional<String> limit = limits.reached(processed.get(), startedAt, settings.clock().instant(), heapInUseMb());
            if (limit.isPresent()) {
                LOG.info("worker {} {}", workerId, limit.get());
                stop();
                break;
            }
            if (outcomes.waiting() > 0 && outcomes.flush() > 0) {
                sleep(FAILURE_BACKOFF.pause(++failures, failurePauseCap())); // the database is still down: claim nothing
                continue;
            }
            int size = polling.claimSize(slots.availablePermits(), running.size(), limits.budget(processed.get(), running.size()));
            if (size == 0) {
                awaitSlot();
                continue;
            }
            if (idle && !claimer.anyDue()) {
                pauseIdle();
                continue;
            }
            Claimer.Result claim = claimer.claim(size);
            if (claim.failed()) {
                sleep(FAILURE_BACKOFF.pause(++failures, failurePauseCap()));
                continue;
            }
            failures = 0;
            List<ClaimedJob> claimed = claim.jobs();
            for (ClaimedJob job : claimed) {
                dispatch(job);
            }
            nextPermitAt = claim.nextPermitIn() == null ? 0 : System.nanoTime() + claim.nextPermitIn().toNanos();
            if (claimed.isEmpty()) {
                idle = true;
                pauseIdle();
            } else {
                idle = false;
                idlePause = settings.minPoll();
            }
        }
    }

    private void dispatch(ClaimedJob job) {
        slots.acquireUninterruptibly();
        running.put(job.id(), job);
        executor.execute(new JobTask(job));
    }

    /** A claimed job waiting for, or running on, an executor thread. */
    private final class JobTask implements Runnable {
        private final ClaimedJob job;

        JobTask(ClaimedJob job) {
            this.job = job;
        }

        @Override
        public void run() {
            try {
                runner.run(job);
            } finally {
                // counted before it stops being held, so the claim budget (limit - processed - held) never misses it
                processed.incrementAndGet();
                running.remove(job.id());
                slots.release();
                wake();
            }
        }
    }

    /** Claimed jobs that no thread has started yet go straight back to the queue at shutdown. */
    private void releaseNotStarted() {
        List<Runnable> waiting = new ArrayList<>();
        executor.getQueue().drainTo(waiting);
        List<ClaimedJob> jobs = new ArrayList<>();
        for (Runnable task : waiting) {
            ClaimedJob job = ((JobTask) task).job;
            jobs.add(job);
            running.remove(job.id());
            slots.release();
        }
        if (!jobs.isEmpty()) {
            release.notStarted(jobs);
        }
    }

    private static long heapInUseMb() {
        Runtime rt = Runtime.getRuntime();
        return (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024);
    }

    private void reap() {
        int reaped = maintenance.reapExpiredLeases();
        if (reaped > 0) {
            LOG.info("settled {} job(s) with expired leases (back to their queue, or failed after their last attempt)", reaped);
            wake();
        }
    }

    private void wake() {
        synchronized (pollLock) {
            wakeUps.incrementAndGet();
            pollLock.notifyAll();
        }
    }

    /**
     * Waits while idle, longer each time up to the maximum poll interval, but no longer than until a rate-limited
     * queue's next permit frees (then the next poll finds it); a wake-up ends the wait and the idling.
     */
    private void pauseIdle() {
        Duration pause = idlePause;
        if (nextPermitAt != 0) {
            long untilPermit = nextPermitAt - System.nanoTime();
            if (untilPermit < pause.toNanos()) {
                pause = Duration.ofNanos(Math.max(0, untilPermit));
                nextPermitAt = 0; // the poll after this wait finds the permit; a claim then learns of the next
            }
        }
        if (sleep(pause)) {
            idle = false;
            idlePause = settings.minPoll();
        } else {
            idlePause = polling.nextIdle(idlePause);
        }
    }

    /** Waits up to {@code duration}; true when a wake-up ended (or preceded) the wait. */
    private boolean sleep(Duration duration) {
        synchronized (pollLock) {
            if (wakeUps.getAndSet(0) > 0) {
                return true;
            }
            try {
                pollLock.wait(Math.max(1, duration.toMillis()));
            } catch (InterruptedException e) {
                // an interrupted poller stops the worker the one way that ends in finish(): awaitTermination returns
                Thread.currentThread().interrupt();
                stop();
            }
            return wakeUps.getAndSet(0) > 0;
        }
    }

    private void awaitSlot() {
        synchronized (pollLock) {
            if (state.running() && wakeUps.getAndSet(0) == 0) {
                try {
                    pollLock.wait(settings.maxPoll().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stop(); // as in sleep(): an interrupt ends the worker through its shutdown, never in a spin
                }
            }
        }
    }

    /** Configures a {@link Worker}. */
    public static final class Builder {
        private final JobQueue queue;
        private final HandlerRegistry handlers = new HandlerRegistry();
        private List<String> queues = List.of(JobRequest.DEFAULT_QUEUE);
        private Map<String, Integer> weights;
        private int concurrency = 4;
        private int batchSize = 50;
        private Duration minPoll = Duration.ofMillis(50);
        private Duration maxPoll = Duration.ofMillis(150);
        private boolean doorbell = true;
        private final List<Schedule> schedules = new ArrayList<>();
        private boolean runSchedules = true;
        private Duration lease = Duration.ofSeconds(30);
        private RetryBackoff backoff = RetryBackoff.DEFAULT;
        private long maxJobs;
        private Duration maxTime = Duration.ZERO;
        private long maxMemoryMb;
        private Duration shutdownGrace = Duration.ofSeconds(30);
        private Duration retention = Retention.FINISHED_DEFAULT;
        private Duration failedRetention = Retention.FAILED_DEFAULT;
        private long failedKept = Retention.FAILED_KEPT_DEFAULT;
        private Clock clock = Clock.systemUTC();
        private String workerId;
        private final List<WorkerListener> listeners = new ArrayList<>();

        private Builder(JobQueue queue) {
            this.queue = Objects.requireNonNull(queue);
        }

        public Builder handler(JobHandler<?> handler) {
            handlers.register(handler);
            return this;
        }

        /** Receives the worker's events (attempts started and finished, database lost and back). */
        public Builder listener(WorkerListener listener) {
            listeners.add(Objects.requireNonNull(listener));
            return this;
        }

        /**
         * Queues to claim from, strictly in this order: a later queue only when the earlier ones have no due job. Each
         * name must follow {@link NameRule}.
         */
        public Builder queues(List<String> names) {
            if (names.isEmpty()) {
                throw new IllegalArgumentException("a worker needs at least one queue");
            }
            names.forEach(NameRule::queue);
            this.queues = List.copyOf(names);
            this.weights = null;
            return this;
        }

        /**
         * Queues to claim from by weight: each claim visits them in an order drawn anew, a queue first with a chance
         * proportional to its weight ({@code mail=3, default=1}: mail first three times in four), so a busy queue
         * cannot starve the others.
         */
        public Builder weightedQueues(Map<String, Integer> weights) {
            if (weights.isEmpty()) {
                throw new IllegalArgumentException("a worker needs at least one queue");
            }
            weights.keySet().forEach(NameRule::queue);
            QueueOrder.weighted(weights); // checks the weights now
            this.weights = new java.util.LinkedHashMap<>(weights);
            this.queues = List.copyOf(weights.keySet());
            return this;
        }

        public Builder concurrency(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1, got " + threads);
            }
            this.concurrency = threads;
            return this;
        }

        /**
         * Most jobs claimed in one transaction (default 50). Up to this many claimed jobs may wait for a
         * free thread, their leases renewed like those of running jobs.
         */
        public Builder batchSize(int size) {
            this.batchSize = Math.max(1, size);
            return this;
        }

        /**
         * Poll interval bounds (default 50 ms to 150 ms): while its queues are empty the worker waits from min,
         * doubling up to max, between polls. An idle poll is one index read (no transaction, no locks), so a
         * job enqueued where no wake-up reaches the worker (another host) waits at most about max.
         */
        public Builder pollInterval(Duration min, Duration max) {
            if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
                throw new IllegalArgumentException("poll interval needs 0 < min <= max, got " + min + ", " + max);
            }
            this.minPoll = min;
            this.maxPoll = max;
            return this;
        }

        /**
         * Whether the worker listens for wake-ups from producers in other processes on its host (default true):
         * a datagram port on the loopback interface, published with its heartbeat, on which a producer that has
         * committed a job tells it so, and the worker claims at once instead of at its next poll.
         */
        public Builder listenForWakeUps(boolean listen) {
            this.doorbell = listen;
            return this;
        }

        /**
         * A schedule saved when the worker starts (added, or updated keeping its next tick while its cadence stays
         * the same). Schedules live in the database: any worker enqueues their ticks, this one or another.
         */
        public Builder schedule(Schedule schedule) {
            this.schedules.add(java.util.Objects.requireNonNull(schedule));
            return this;
        }

        /** Whether this worker takes part in enqueueing the ticks of schedules (default true). */
        public Builder runSchedules(boolean run) {
            this.runSchedules = run;
            return this;
        }

        /** How long a claimed job stays leased without a heartbeat (default 30 s). */
        public Builder lease(Duration duration) {
            if (duration.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("a lease shorter than 1 s cannot be renewed in time: " + duration);
            }
            this.lease = duration;
            return this;
        }

        public Builder retryBackoff(RetryBackoff value) {
            this.backoff = Objects.requireNonNull(value);
            return this;
        }

        /** Stop after this many jobs (0 = no limit). */
        public Builder maxJobs(long jobs) {
            this.maxJobs = jobs;
            return this;
        }

        /** Stop after running this long (zero = no limit). */
        public Builder maxTime(Duration time) {
            this.maxTime = Objects.requireNonNull(time);
            return this;
        }

        /** Stop when the heap in use reaches this many MB (0 = no limit). */
        public Builder maxMemoryMb(long megabytes) {
            this.maxMemoryMb = megabytes;
            return this;
        }

        public Builder shutdownGrace(Duration grace) {
            this.shutdownGrace = Objects.requireNonNull(grace);
            return this;
        }

        /**
         * How long succeeded and cancelled jobs are kept after they finished (default 24 h); then a worker's housekeeping
         * (every minute, in batches of 1,000) deletes them.
         */
        public Builder retention(Duration keep) {
            this.retention = Objects.requireNonNull(keep);
            return this;
        }

        /**
         * How long jobs failed for good are kept after they failed, with their failed-job log rows (default 30 days;
         * {@link Duration#ZERO}: no age limit, only {@link #failedKept(long) the cap}).
         */
        public Builder failedRetention(Duration keep) {
            this.failedRetention = Objects.requireNonNull(keep);
            return this;
        }

        /**
         * Most jobs failed for good kept (default 100,000; 0: no cap): beyond it the oldest (lowest id) are deleted first,
         * so that the table cannot grow without bound however many jobs fail.
         */
        public Builder failedKept(long jobs) {
            this.failedKept = jobs;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value);
            return this;
        }

        public Builder workerId(String id) {
            this.workerId = id;
            return this;
        }

        public Worker build() {
            if (handlers.isEmpty()) {
                throw new IllegalStateException("a worker needs at least one job handler");
            }
            String id = workerId != null ? workerId : LeaseKeeper.localHostName() + "-" + ProcessHandle.current().pid() + "-"
                    + UUID.randomUUID().toString().substring(0, 8);
            List<WorkerListener> all = new ArrayList<>(listeners);
            all.add(0, queue.metrics());
            FinishedTally tally = new FinishedTally(queue.database(), queue.store());
            all.add(1, tally);
            Worker worker = new Worker(queue, handlers, tally, new Settings(weights == null ? QueueOrder.strict(queues) : QueueOrder.weighted(weights), concurrency, batchSize, minPoll, maxPoll, lease,
                    backoff, maxJobs, maxTime, maxMemoryMb, shutdownGrace,
                    new Retention(retention, failedRetention, failedKept), clock, doorbell), id, new Listeners(all));
            worker.gauges = WorkerGauges.register(queue.database().meterRegistry(), id, worker.databaseHealth::reachable,
                    worker::stuckJobs);
            worker.schedules = List.copyOf(schedules);
            worker.runSchedules = runSchedules;
            return worker;
        }
    }
}
