package dev.steadfast.queue;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.jdbc.threads.DaemonThreads;
import dev.steadfast.queue.events.WorkerListener;
import dev.steadfast.queue.internal.metrics.JobMetrics;
import dev.steadfast.queue.internal.schedule.Ticker;
import dev.steadfast.queue.internal.wakeup.DoorbellListener;
import dev.steadfast.queue.internal.worker.Claimer;
import dev.steadfast.queue.internal.worker.DatabaseHealth;
import dev.steadfast.queue.internal.worker.FinishedTally;
import dev.steadfast.queue.internal.worker.HandlerRegistry;
import dev.steadfast.queue.internal.worker.JobCounts;
import dev.steadfast.queue.internal.worker.JobDispatcher;
import dev.steadfast.queue.internal.worker.JobRunner;
import dev.steadfast.queue.internal.worker.LeaseKeeper;
import dev.steadfast.queue.internal.worker.Listeners;
import dev.steadfast.queue.internal.worker.Maintenance;
import dev.steadfast.queue.internal.worker.OutcomeWriter;
import dev.steadfast.queue.internal.worker.PollLoop;
import dev.steadfast.queue.internal.worker.PollPolicy;
import dev.steadfast.queue.internal.worker.QueueOrder;
import dev.steadfast.queue.internal.worker.Retention;
import dev.steadfast.queue.internal.worker.RunningAttempts;
import dev.steadfast.queue.internal.worker.ScheduleDeclarations;
import dev.steadfast.queue.internal.worker.ShutdownRelease;
import dev.steadfast.queue.internal.worker.StopRequests;
import dev.steadfast.queue.internal.worker.WakeSignal;
import dev.steadfast.queue.internal.worker.WorkerGauges;
import dev.steadfast.queue.internal.worker.WorkerLimits;
import dev.steadfast.queue.internal.worker.WorkerRecord;
import dev.steadfast.queue.internal.worker.WorkerState;
import dev.steadfast.queue.internal.worker.WritePrivileges;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    /** How often a worker adds its finished jobs to the throughput tally. */
    private static final long TALLY_FLUSH_SECONDS = 5;

    /** What a health probe reports. */
    public enum Health {
        NEW,
        RUNNING,
        DEGRADED,
        STOPPING,
        STOPPED
    }

    private final JobQueue queue;
    private final ResilientDatabase db;
    private final WorkerSettings settings;
    private final QueueOrder order;
    private final Clock clock;
    private final boolean listenForWakeUps;
    private final Retention retention;
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
    private final WorkerGauges gauges;
    private final JobDispatcher dispatcher;
    private final PollLoop pollLoop;
    private final ScheduledExecutorService scheduler;
    // interrupts attempts that run out of time; its own thread, so housekeeping never delays a timeout
    private final ScheduledExecutorService timers;
    private final StopRequests stops = new StopRequests();
    private final JobCounts counts = new JobCounts();
    private final ShutdownRelease release;
    private final WorkerRecord record;
    private final WakeSignal signal = new WakeSignal();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final Runnable wakeUp = signal::wake;
    private final WorkerState state = new WorkerState();
    private volatile Instant startedAt;
    private Thread poller;
    private Thread ticker;
    private final List<Schedule> schedules;
    private final boolean runSchedules;
    private volatile DoorbellListener doorbell;

    private Worker(Builder builder, WorkerSettings settings, FinishedTally tally, String workerId, Listeners given) {
        Listeners listeners = new Listeners(List.of(given, counts));
        HandlerRegistry handlers = builder.handlers;
        this.queue = builder.queue;
        this.tally = tally;
        this.db = queue.database();
        this.settings = settings;
        this.order =
                builder.weights == null ? QueueOrder.strict(settings.queues()) : QueueOrder.weighted(builder.weights);
        this.clock = builder.clock;
        this.listenForWakeUps = builder.doorbell;
        this.retention = new Retention(settings.retention(), settings.failedRetention(), settings.failedKept());
        this.schedules = List.copyOf(builder.schedules);
        this.runSchedules = builder.runSchedules;
        this.workerId = workerId;
        this.metrics = queue.metrics();
        this.databaseHealth = new DatabaseHealth(clock, listeners);
        RunningAttempts attempts = new RunningAttempts();
        this.outcomes =
                new OutcomeWriter(db, queue.store(), workerId, databaseHealth, attempts, builder.maxResultBytes);
        outcomes.onSlotsFreed(signal::wake);
        outcomes.onJobsMadeClaimable(() -> queue.wakeUps().fire(null)); // this worker's signal and the host's doorbells
        this.timers = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("steadfast-attempt-timeouts"));
        this.runner = new JobRunner(
                db,
                queue.store(),
                handlers,
                queue.mapper(),
                builder.backoff,
                outcomes,
                workerId,
                listeners,
                clock,
                () -> !state.running(),
                stops,
                timers,
                attempts,
                builder.maxResultBytes);
        this.types = handlers.types();
        this.claimer =
                new Claimer(db, queue.store(), order, types, workerId, settings.lease(), metrics, databaseHealth);
        this.release = new ShutdownRelease(db, queue.store(), stops, counts);
        this.dispatcher =
                new JobDispatcher(settings.concurrency(), settings.batchSize(), runner, release, signal::wake);
        this.leaseKeeper = new LeaseKeeper(
                db,
                queue.store(),
                workerId,
                settings.queues(),
                types,
                settings.lease(),
                dispatcher::heldJobs,
                () -> doorbell == null ? null : doorbell.doorbell(),
                stops,
                attempts);
        this.maintenance = new Maintenance(db, queue.store(), retention);
        this.record = new WorkerRecord(db, queue.store(), workerId, settings.queues(), counts);
        this.pollLoop = new PollLoop(
                workerId,
                state,
                new WorkerLimits(settings.maxJobs(), settings.maxTime(), settings.maxMemoryMb()),
                new PollPolicy(settings.concurrency(), settings.batchSize(), settings.pollMin(), settings.pollMax()),
                outcomes,
                claimer,
                dispatcher,
                signal,
                clock,
                this::stop);
        this.scheduler = Executors.newScheduledThreadPool(1, DaemonThreads.named("steadfast-worker-housekeeping"));
        this.gauges = WorkerGauges.register(db.meterRegistry(), workerId, databaseHealth::reachable, stops::stuck);
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
        return dispatcher.heldIds();
    }

    /** The job types this worker handles (and the only ones it claims). */
    public List<String> types() {
        return types;
    }

    /** The queues this worker claims from. */
    public List<String> queues() {
        return settings.queues();
    }

    /** What this worker runs with: its builder's settings, defaults where none was given. */
    public WorkerSettings settings() {
        return settings;
    }

    /** Attempts this worker has finished (any outcome, released ones too): a job retried here counts once per attempt. */
    public long processed() {
        return dispatcher.processed();
    }

    /**
     * Starts claiming and running jobs.
     *
     * @throws MissingPrivilegeException the database user may not write the queue's tables (checked first, so the
     *                                   worker never reports started then fails every poll)
     */
    public void start() {
        WritePrivileges.require(queue, workerId);
        startedAt = clock.instant();
        if (!state.start()) {
            throw new IllegalStateException("worker already started");
        }
        if (listenForWakeUps) {
            try {
                doorbell = DoorbellListener.open(signal::wake);
            } catch (IOException | RuntimeException e) {
                LOG.warn(
                        "worker {} cannot listen for wake-ups on the loopback interface ({}); jobs from other processes"
                                + " start at its next poll",
                        workerId,
                        e.toString());
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
        pollLoop.startedAt(startedAt);
        poller = DaemonThreads.thread("steadfast-worker-poller", pollLoop);
        poller.start();
        if (runSchedules) {
            Ticker schedulesTicker = new Ticker(
                    db,
                    queue.store(),
                    Schedule.MAX_CATCH_UP,
                    queues -> queue.wakeUps().fire(queues));
            ticker = DaemonThreads.thread("steadfast-schedules", () -> {
                ScheduleDeclarations.save(queue, schedules, state::running);
                schedulesTicker.run();
            });
            ticker.start();
        }
        LOG.info(
                "worker {} started: queues {}, concurrency {}; keeps {}",
                workerId,
                order,
                settings.concurrency(),
                retention.summary());
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
        signal.wake();
        Thread finisher = DaemonThreads.thread("steadfast-worker-stop", this::finish);
        finisher.start();
    }

    /**
     * Stops gracefully when the JVM is asked to exit (SIGTERM, SIGINT, {@code System.exit}): no more
     * claims, running jobs get the grace period, the rest are released. Call before {@link #start()}.
     */
    public Worker stopOnShutdown() {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            stop();
                            try {
                                awaitTermination(settings.shutdownGrace().plusSeconds(10));
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "steadfast-worker-shutdown"));
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
            dispatcher.finish(settings.shutdownGrace());
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
            gauges.remove();
            state.stopped();
            LOG.info("worker {} stopped after {}", workerId, counts.summary());
            terminated.countDown();
        }
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

    private void reap() {
        int reaped = maintenance.reapExpiredLeases();
        if (reaped > 0) {
            LOG.info(
                    "settled {} job(s) with expired leases (back to their queue, or failed after their last attempt)",
                    reaped);
            signal.wake();
        }
    }

    /** Configures a {@link Worker}. */
    public static final class Builder {
        private final JobQueue queue;
        private final HandlerRegistry handlers = new HandlerRegistry();
        private static final WorkerSettings DEFAULTS = WorkerSettings.defaults();
        private List<String> queues = DEFAULTS.queues();
        private Map<String, Integer> weights;
        private int concurrency = DEFAULTS.concurrency();
        private int batchSize = DEFAULTS.batchSize();
        private Duration minPoll = DEFAULTS.pollMin();
        private Duration maxPoll = DEFAULTS.pollMax();
        private boolean doorbell = true;
        private final List<Schedule> schedules = new ArrayList<>();
        private boolean runSchedules = true;
        private Duration lease = DEFAULTS.lease();
        private RetryBackoff backoff = RetryBackoff.DEFAULT;
        private int maxResultBytes = WorkerSettings.DEFAULT_MAX_RESULT_BYTES;
        private long maxJobs = DEFAULTS.maxJobs();
        private Duration maxTime = DEFAULTS.maxTime();
        private long maxMemoryMb = DEFAULTS.maxMemoryMb();
        private Duration shutdownGrace = DEFAULTS.shutdownGrace();
        private Duration retention = DEFAULTS.retention();
        private Duration failedRetention = DEFAULTS.failedRetention();
        private long failedKept = DEFAULTS.failedKept();
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
            this.weights = new LinkedHashMap<>(weights);
            this.queues = List.copyOf(weights.keySet());
            return this;
        }

        /** Jobs run at once (default {@value WorkerSettings#DEFAULT_CONCURRENCY}; at least 1). */
        public Builder concurrency(int threads) {
            this.concurrency = WorkerSettings.checkConcurrency("concurrency", threads);
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
            WorkerSettings.checkPollInterval("poll interval min", min, "max", max);
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
            this.schedules.add(Objects.requireNonNull(schedule));
            return this;
        }

        /** Whether this worker takes part in enqueueing the ticks of schedules (default true). */
        public Builder runSchedules(boolean run) {
            this.runSchedules = run;
            return this;
        }

        /** How long a claimed job stays leased without a heartbeat (default 30 s; at least 1 s, renewed at a third of it). */
        public Builder lease(Duration duration) {
            this.lease = WorkerSettings.checkLease("lease", duration);
            return this;
        }

        /**
         * The largest result (JSON, in bytes) a job may return ({@link JobContext#result}); default 64 KiB. A larger one
         * fails its job without retrying it.
         */
        public Builder maxResultBytes(int bytes) {
            this.maxResultBytes = WorkerSettings.checkMaxResultBytes("max result size", bytes);
            return this;
        }

        public Builder retryBackoff(RetryBackoff value) {
            this.backoff = Objects.requireNonNull(value);
            return this;
        }

        /** Stop after this many jobs (0 = no limit). */
        public Builder maxJobs(long jobs) {
            this.maxJobs = WorkerSettings.checkNotNegative("max jobs", jobs);
            return this;
        }

        /** Stop after running this long (zero = no limit). */
        public Builder maxTime(Duration time) {
            this.maxTime = WorkerSettings.checkNotNegative("max time", time);
            return this;
        }

        /** Stop when the heap in use reaches this many MB (0 = no limit). */
        public Builder maxMemoryMb(long megabytes) {
            this.maxMemoryMb = WorkerSettings.checkNotNegative("max memory", megabytes);
            return this;
        }

        /** How long running jobs may go on after a stop before they are interrupted and released (default 30 s). */
        public Builder shutdownGrace(Duration grace) {
            this.shutdownGrace = WorkerSettings.checkNotNegative("shutdown grace", grace);
            return this;
        }

        /**
         * How long succeeded and cancelled jobs are kept after they finished (default 24 h); then a worker's housekeeping
         * (every minute, in batches of 1,000) deletes them.
         */
        public Builder retention(Duration keep) {
            this.retention = WorkerSettings.checkRetention("retention", keep);
            return this;
        }

        /**
         * How long jobs failed for good are kept after they failed, with their failed-job log rows (default 30 days;
         * {@link Duration#ZERO}: no age limit, only {@link #failedKept(long) the cap}).
         */
        public Builder failedRetention(Duration keep) {
            this.failedRetention = WorkerSettings.checkNotNegative("failed retention", keep);
            return this;
        }

        /**
         * Most jobs failed for good kept (default 100,000; 0: no cap): beyond it the oldest (lowest id) are deleted first,
         * so that the table cannot grow without bound however many jobs fail.
         */
        public Builder failedKept(long jobs) {
            this.failedKept = WorkerSettings.checkNotNegative("failed kept", jobs);
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
            String id = workerId != null
                    ? workerId
                    : LeaseKeeper.localHostName() + "-"
                            + ProcessHandle.current().pid() + "-"
                            + UUID.randomUUID().toString().substring(0, 8);
            List<WorkerListener> all = new ArrayList<>(listeners);
            all.add(0, queue.metrics());
            FinishedTally tally = new FinishedTally(queue.database(), queue.store());
            all.add(1, tally);
            WorkerSettings settings = new WorkerSettings(
                    queues,
                    concurrency,
                    batchSize,
                    minPoll,
                    maxPoll,
                    lease,
                    shutdownGrace,
                    retention,
                    failedRetention,
                    failedKept,
                    maxJobs,
                    maxTime,
                    maxMemoryMb);
            return new Worker(this, settings, tally, id, new Listeners(all));
        }
    }
}
