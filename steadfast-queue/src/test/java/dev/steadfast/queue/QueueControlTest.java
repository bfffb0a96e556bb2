package dev.steadfast.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.events.WorkerEvent;
import dev.steadfast.testkit.FaultProxy;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Operators' controls on a real server: pausing a queue, cancelling waiting and running jobs. */
@ExtendWith(SharedQueue.class)
class QueueControlTest {
    private static final MariaDbServer SERVER = MariaDbServer.shared();

    @SharedQueue.Open
    private static JobQueue queue;

    @Test
    void aPausedQueueKeepsTakingJobsAndStartsNoneUntilResumed() throws Exception {
        String name = QueueTestSupport.uniqueQueue("pause");
        String other = QueueTestSupport.uniqueQueue("busy");
        Handlers.Recording noop = new Handlers.Recording("noop");
        Worker worker = QueueTestSupport.fastWorker(queue, name)
                .queues(List.of(name, other))
                .handler(noop)
                .build();
        worker.start();
        try {
            queue.enqueue(JobRequest.of("noop").queue(name).build());
            await().atMost(Duration.ofSeconds(20)).until(() -> noop.ran.size() == 1);

            assertThat(queue.pause(name)).isTrue();
            assertThat(queue.pause(name)).as("already paused").isFalse();
            assertThat(queue.stats().isPaused(name)).isTrue();
            List<Long> held = new ArrayList<>();
            for (int i = 0; i < 20; i++) { // jobs keep arriving while paused, some due at once, one per poll or so
                held.add(queue.enqueue(JobRequest.of("noop").queue(name).build()));
                Thread.sleep(25); // pacing, not a wait: the jobs arrive over several polls
            }
            long otherJob = queue.enqueue(JobRequest.of("noop").queue(other).build());
            await().atMost(Duration.ofSeconds(20)).until(() -> noop.ran.contains(otherJob)); // the worker is polling
            Thread.sleep(500); // proves an absence: several more polls start nothing from the paused queue
            assertThat(noop.ran).as("nothing started from the paused queue").doesNotContainAnyElementsOf(held);
            assertThat(queue.stats().queues().get(name).pending()).isEqualTo(20);

            assertThat(queue.resume(name)).isTrue();
            assertThat(queue.resume(name)).as("not paused any more").isFalse();
            await().atMost(Duration.ofSeconds(20)).until(() -> noop.ran.containsAll(held));
            assertThat(queue.stats().isPaused(name)).isFalse();
            assertThat(queue.queueControls()).anySatisfy(c -> {
                assertThat(c.queue()).isEqualTo(name);
                assertThat(c.paused()).isFalse();
            });
        } finally {
            worker.stop();
            assertThat(worker.awaitTermination(Duration.ofSeconds(20))).isTrue();
        }
    }

    @Test
    void aPausedQueueWithoutJobsIsInTheStatsAndKnown() throws Exception {
        String name = QueueTestSupport.uniqueQueue("empty");
        assertThat(queue.isKnownQueue(name)).isFalse();
        queue.pause(name);
        QueueStats stats = queue.stats();
        assertThat(stats.queues()).containsKey(name);
        assertThat(stats.isPaused(name)).isTrue();
        assertThat(queue.isKnownQueue(name)).isTrue();
        queue.resume(name);
    }

    @Test
    void waitingJobsAreCancelledAtOnceAndFreeTheirUniqueKey() throws Exception {
        String name = QueueTestSupport.uniqueQueue("cancel");
        long due = queue.enqueue(
                JobRequest.of("noop").queue(name).uniqueKey("only-one").build());
        long later = queue.enqueue(
                JobRequest.of("noop").queue(name).delay(Duration.ofHours(1)).build());
        long done = queue.enqueue(JobRequest.of("noop").queue(name).build());
        SERVER.execute("UPDATE sf_job SET state = 'succeeded', finished_at = NOW(3) WHERE id = " + done);

        Map<Long, CancelOutcome> outcomes = queue.cancel(List.of(due, later, done, 987_654_321L));
        assertThat(outcomes)
                .containsExactly(
                        Map.entry(due, CancelOutcome.CANCELLED),
                        Map.entry(later, CancelOutcome.CANCELLED),
                        Map.entry(done, CancelOutcome.ALREADY_FINISHED),
                        Map.entry(987_654_321L, CancelOutcome.NOT_FOUND));
        assertThat(queue.cancel(due)).as("cancelled is finished").isEqualTo(CancelOutcome.ALREADY_FINISHED);
        assertThat(queue.browser().job(due).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(queue.stats().queues().get(name).cancelled()).isEqualTo(2);
        assertThat(queue.stats().queues().get(name).pending()
                        + queue.stats().queues().get(name).scheduled())
                .isZero();
        assertThat(queue.browser().failures(JobFilter.all().queue(name), null, 10))
                .as("not a failure")
                .isEmpty();
        assertThat(queue.count(JobFilter.all().queue(name).status(JobStatus.CANCELLED), 100))
                .isEqualTo(2);

        Enqueued again = queue.submit(
                JobRequest.of("noop").queue(name).uniqueKey("only-one").build());
        assertThat(again.matchedExisting())
                .as("a cancelled job holds no unique key")
                .isFalse();

        // a worker never runs a cancelled job
        Handlers.Recording noop = new Handlers.Recording("noop");
        Worker worker = QueueTestSupport.fastWorker(queue, name).handler(noop).build();
        worker.start();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> noop.ran.contains(again.id()));
            assertThat(noop.ran).doesNotContain(due, later);
        } finally {
            worker.stop();
            worker.awaitTermination(Duration.ofSeconds(20));
        }
    }

    @Test
    void runningJobsAreAskedToStopAndEndCancelledNotRetried() throws Exception {
        String name = QueueTestSupport.uniqueQueue("stop");
        List<Long> sawFlag = new CopyOnWriteArrayList<>();
        List<Long> started = new CopyOnWriteArrayList<>();
        // one handler polls the flag, the other only sleeps: the interrupt ends it
        JobHandler<JsonNode> polite = JobHandler.of("polite", JsonNode.class, (context, payload) -> {
            started.add(context.jobId());
            while (!context.isCancelled()) {
                busyFor(20);
            }
            sawFlag.add(context.jobId());
            throw new IllegalStateException("stopping: cancelled");
        });
        JobHandler<JsonNode> sleepy = JobHandler.of("sleepy", JsonNode.class, (context, payload) -> {
            started.add(context.jobId());
            Thread.sleep(Duration.ofMinutes(5).toMillis());
        });
        List<WorkerEvent.JobFinished> finished = new CopyOnWriteArrayList<>();
        Worker worker = QueueTestSupport.fastWorker(queue, name)
                .handler(polite)
                .handler(sleepy)
                .lease(Duration.ofMillis(1500)) // heartbeats every 500 ms: that is how soon a worker learns of a cancel
                .listener(e -> {
                    if (e instanceof WorkerEvent.JobFinished f) {
                        finished.add(f);
                    }
                })
                .build();
        worker.start();
        try {
            long politeJob = queue.enqueue(
                    JobRequest.of("polite").queue(name).maxAttempts(5).build());
            long sleepyJob = queue.enqueue(
                    JobRequest.of("sleepy").queue(name).maxAttempts(5).build());
            await().atMost(Duration.ofSeconds(20)).until(() -> started.containsAll(List.of(politeJob, sleepyJob)));
            assertThat(queue.cancel(List.of(politeJob, sleepyJob)).values()).containsOnly(CancelOutcome.STOP_REQUESTED);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> queue.browser().job(politeJob).orElseThrow().status() == JobStatus.CANCELLED
                            && queue.browser().job(sleepyJob).orElseThrow().status() == JobStatus.CANCELLED);
            assertThat(sawFlag).containsExactly(politeJob);
            assertThat(finished)
                    .filteredOn(f -> f.jobId() == politeJob || f.jobId() == sleepyJob)
                    .extracting(WorkerEvent.JobFinished::result)
                    .containsOnly(WorkerEvent.JobFinished.Result.CANCELLED);
            assertThat(queue.browser().job(politeJob).orElseThrow().attempts())
                    .as("not retried")
                    .isEqualTo(1);
            assertThat(queue.browser().failures(JobFilter.all().queue(name), null, 10))
                    .isEmpty();
            // the thread that ran a cancelled job is not left interrupted for the next one
            long next = queue.enqueue(JobRequest.of("sleepy").queue(name).build());
            await().atMost(Duration.ofSeconds(20)).until(() -> started.contains(next));
            Thread.sleep(300); // proves an absence: the next job is not interrupted, it keeps running
            assertThat(queue.browser().job(next).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
            queue.cancel(next);
        } finally {
            worker.stop();
            assertThat(worker.awaitTermination(Duration.ofSeconds(20))).isTrue();
        }
    }

    @Test
    void bulkCancelByQueueAndType() throws Exception {
        String name = QueueTestSupport.uniqueQueue("bulkcancel");
        for (int i = 0; i < 5; i++) {
            queue.enqueue(JobRequest.of("mail").queue(name).build());
            queue.enqueue(JobRequest.of("report")
                    .queue(name)
                    .delay(Duration.ofHours(1))
                    .build());
        }
        assertThat(queue.cancel(JobFilter.all().queue(name).type("report"))).isEqualTo(5);
        QueueCounts counts = queue.stats().queues().get(name);
        assertThat(counts.cancelled()).isEqualTo(5);
        assertThat(counts.pending()).isEqualTo(5);
        assertThat(queue.cancel(JobFilter.all().queue(name))).isEqualTo(5);
        assertThat(queue.stats().queues().get(name).cancelled()).isEqualTo(10);
    }

    @Test
    void attemptsThatRunTooLongAreInterruptedAndRetriedThenFailAsTimedOut() throws Exception {
        String name = QueueTestSupport.uniqueQueue("timeout");
        List<Long> interrupted = new CopyOnWriteArrayList<>();
        JobHandler<JsonNode> slow = JobHandler.of("slow", JsonNode.class, (context, payload) -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.add(context.jobId());
                throw e;
            }
        });
        // the type's default applies to jobs without a timeout of their own
        JobType<JsonNode> typed = JobType.of("typed-slow", JsonNode.class)
                .timeout(Duration.ofMillis(300))
                .maxAttempts(1);
        Worker worker = QueueTestSupport.fastWorker(queue, name)
                .handler(slow)
                .handler(typed.handler((context, payload) -> Thread.sleep(60_000)))
                .build();
        worker.start();
        try {
            long own = queue.enqueue(JobRequest.of("slow")
                    .queue(name)
                    .timeout(Duration.ofMillis(300))
                    .maxAttempts(2)
                    .build());
            long byType = queue.enqueue(typed.request(null).queue(name).build());
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> queue.browser().job(own).orElseThrow().status() == JobStatus.FAILED
                            && queue.browser().job(byType).orElseThrow().status() == JobStatus.FAILED);
            assertThat(interrupted).containsExactly(own, own); // two attempts, each interrupted
            JobView job = queue.browser().job(own).orElseThrow();
            assertThat(job.attempts()).isEqualTo(2);
            assertThat(job.lastError()).contains("JobTimeoutException").contains("timed out after 300 ms");
            assertThat(queue.browser().job(byType).orElseThrow().lastError()).contains("timed out after 300 ms");
            assertThat(worker.stuckJobs()).isZero();
        } finally {
            worker.stop();
            assertThat(worker.awaitTermination(Duration.ofSeconds(20))).isTrue();
        }
    }

    @Test
    void aHandlerThatIgnoresTheInterruptIsReportedStuckAndKeepsItsSlot() throws Exception {
        String name = QueueTestSupport.uniqueQueue("stuck");
        List<Long> started = new CopyOnWriteArrayList<>();
        JobHandler<JsonNode> stubborn = JobHandler.of("stubborn", JsonNode.class, (context, payload) -> {
            started.add(context.jobId());
            busyFor(4_000); // ignores interrupts
        });
        Handlers.Recording noop = new Handlers.Recording("noop");
        Worker worker = QueueTestSupport.fastWorker(queue, name)
                .concurrency(1)
                .handler(stubborn)
                .handler(noop)
                .lease(Duration.ofMillis(1500))
                .build();
        worker.start();
        try {
            long stuck = queue.enqueue(JobRequest.of("stubborn")
                    .queue(name)
                    .timeout(Duration.ofMillis(500))
                    .maxAttempts(1)
                    .build());
            await().atMost(Duration.ofSeconds(20)).until(() -> started.contains(stuck));
            long next = queue.enqueue(JobRequest.of("noop").queue(name).build());
            // interrupted at 0.5 s, stuck from 1.5 s (a grace as long as the timeout, at least 1 s)
            await().atMost(Duration.ofSeconds(3)).until(() -> worker.stuckJobs() == 1);
            await().atMost(Duration.ofSeconds(3))
                    .until(() ->
                            SERVER.queryLong("SELECT stuck_jobs FROM sf_worker WHERE id = '" + worker.id() + "'") == 1);
            assertThat(noop.ran).as("its slot is still taken").doesNotContain(next);
            await().atMost(Duration.ofSeconds(20)).until(() -> noop.ran.contains(next));
            assertThat(worker.stuckJobs()).isZero();
            JobView job = queue.browser().job(stuck).orElseThrow();
            assertThat(job.status()).isEqualTo(JobStatus.FAILED);
            assertThat(job.lastError()).contains("timed out after 500 ms");
        } finally {
            worker.stop();
            assertThat(worker.awaitTermination(Duration.ofSeconds(20))).isTrue();
        }
    }

    @Test
    void aConcurrencyLimitHoldsAcrossWorkersWhileConnectionsAreReset() throws Exception {
        String name = QueueTestSupport.uniqueQueue("limit");
        String key = name + "-account-7";
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger keyedDone = new AtomicInteger();
        JobHandler<JsonNode> keyed = JobHandler.of("keyed", JsonNode.class, (context, payload) -> {
            int now = running.incrementAndGet();
            most.accumulateAndGet(now, Math::max);
            try {
                Thread.sleep(100);
            } finally {
                running.decrementAndGet();
            }
            keyedDone.incrementAndGet();
        });
        Handlers.Recording free = new Handlers.Recording("free");
        List<JobRequest> requests = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            requests.add(JobRequest.of("keyed")
                    .queue(name)
                    .concurrencyLimit(key, 2)
                    .maxAttempts(20)
                    .build());
        }
        for (int i = 0; i < 20; i++) {
            requests.add(JobRequest.of("free").queue(name).build());
        }
        queue.enqueueAll(requests);
        try (FaultProxy proxy = FaultProxy.inFrontOf(SERVER);
                ResilientDatabase viaProxy = QueueTestSupport.databaseVia(SERVER, JdbcDriver.MYSQL, proxy)) {
            JobQueue other = JobQueue.create(viaProxy, new ObjectMapper(), false);
            List<Worker> workers = List.of(
                    QueueTestSupport.fastWorker(queue, name)
                            .concurrency(8)
                            .handler(keyed)
                            .handler(free)
                            .build(),
                    QueueTestSupport.fastWorker(other, name)
                            .concurrency(8)
                            .handler(keyed)
                            .handler(free)
                            .build());
            workers.forEach(Worker::start);
            AtomicBoolean faults = new AtomicBoolean(true);
            Thread resetter = new Thread(() -> {
                while (faults.get()) {
                    try {
                        Thread.sleep(300);
                        proxy.resetAll(); // the second worker loses every connection, mid-claim or mid-outcome
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            resetter.start();
            try {
                // jobs without a key are not held up behind the ones waiting for a slot
                await().atMost(Duration.ofSeconds(20)).until(() -> free.ran.size() == 20);
                assertThat(keyedDone.get())
                        .as("the free jobs overtook the keyed ones")
                        .isLessThan(30);
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> keyedDone.get() >= 30
                                && queue.count(JobFilter.all().queue(name).status(JobStatus.SUCCEEDED), 100) == 50);
            } finally {
                faults.set(false);
                resetter.join();
                for (Worker w : workers) {
                    w.stop();
                }
                for (Worker w : workers) {
                    assertThat(w.awaitTermination(Duration.ofSeconds(20))).isTrue();
                }
            }
        }
        assertThat(most.get())
                .as("never more than the limit at once, and the limit used")
                .isEqualTo(2);
        assertThat(SERVER.queryLong("SELECT running FROM sf_concurrency WHERE concurrency_key = '" + key + "'"))
                .as("every slot given back")
                .isZero();
    }

    @Test
    void aRateLimitHoldsAcrossTwoWorkersAndIsUsedToTheFull() throws Exception {
        String name = QueueTestSupport.uniqueQueue("rate");
        int perPeriod = 4;
        Duration period = Duration.ofSeconds(1);
        assertThat(queue.limitRate(name, RateLimit.of(perPeriod, period))).isTrue();
        assertThat(queue.limitRate(name, RateLimit.of(perPeriod, period)))
                .as("already so")
                .isFalse();
        assertThat(queue.stats().rateLimit(name)).contains(RateLimit.of(perPeriod, period));
        List<Long> handlerStarts = new CopyOnWriteArrayList<>();
        JobHandler<JsonNode> quick = JobHandler.of("quick", JsonNode.class, (context, payload) -> {
            handlerStarts.add(System.nanoTime());
            Thread.sleep(20);
        });
        List<JobRequest> backlog = new ArrayList<>();
        for (int i = 0; i < 7 * perPeriod; i++) {
            backlog.add(JobRequest.of("quick").queue(name).build());
        }
        queue.enqueueAll(backlog);
        try (FaultProxy proxy = FaultProxy.inFrontOf(SERVER);
                ResilientDatabase viaProxy = QueueTestSupport.databaseVia(SERVER, JdbcDriver.MYSQL, proxy)) {
            JobQueue other = JobQueue.create(viaProxy, new ObjectMapper(), false);
            List<Worker> workers = List.of(
                    QueueTestSupport.fastWorker(queue, name)
                            .concurrency(3)
                            .handler(quick)
                            .build(),
                    QueueTestSupport.fastWorker(other, name)
                            .concurrency(3)
                            .handler(quick)
                            .build());
            workers.forEach(Worker::start);
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> handlerStarts.size() == backlog.size());
                List<Long> starts = startTimesMillis(name);
                assertThat(mostInAnyWindow(starts, period.toMillis()))
                        .as("starts recorded in any 1 s")
                        .isEqualTo(perPeriod);
                // used to the full, within one job per period: the whole periods from the first start, while jobs
                // waited,
                // started at least the limit less one each (timed by the server's clock, not this busy machine's
                // threads)
                long first = starts.get(0);
                long periods = 6;
                long inPeriods = starts.stream()
                        .filter(t -> t < first + periods * period.toMillis())
                        .count();
                assertThat(inPeriods)
                        .as("starts in the first %d periods", periods)
                        .isBetween(periods * (perPeriod - 1), periods * perPeriod);

                // a burst of connection resets on the second worker's claims: still never over the limit, nothing lost
                List<JobRequest> more = new ArrayList<>();
                for (int i = 0; i < 3 * perPeriod; i++) {
                    more.add(JobRequest.of("quick").queue(name).build());
                }
                queue.enqueueAll(more);
                AtomicBoolean faults = new AtomicBoolean(true);
                Thread resetter = new Thread(() -> {
                    while (faults.get()) {
                        try {
                            Thread.sleep(150);
                            proxy.resetAll();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                resetter.start();
                try {
                    await().atMost(Duration.ofSeconds(30))
                            .until(() -> queue.count(JobFilter.all().queue(name).status(JobStatus.SUCCEEDED), 1000)
                                    == backlog.size() + more.size());
                } finally {
                    faults.set(false);
                    resetter.join();
                }
                assertThat(mostInAnyWindow(startTimesMillis(name), period.toMillis()))
                        .as("with resets")
                        .isLessThanOrEqualTo(perPeriod);
                assertThat(handlerStarts).as("each job ran once").hasSize(backlog.size() + more.size());
            } finally {
                for (Worker w : workers) {
                    w.stop();
                }
                for (Worker w : workers) {
                    assertThat(w.awaitTermination(Duration.ofSeconds(20))).isTrue();
                }
            }
        }
    }

    @Test
    void changingARateLimitKeepsTheRecentStartsCountedAndRemovingItLetsTheRestThrough() throws Exception {
        String name = QueueTestSupport.uniqueQueue("relimit");
        queue.limitRate(name, RateLimit.of(5, Duration.ofMinutes(10)));
        Handlers.Recording noop = new Handlers.Recording("noop");
        List<JobRequest> jobs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            jobs.add(JobRequest.of("noop").queue(name).build());
        }
        queue.enqueueAll(jobs);
        Worker worker = QueueTestSupport.fastWorker(queue, name)
                .concurrency(4)
                .handler(noop)
                .build();
        worker.start();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> noop.ran.size() == 5);
            assertThat(queue.limitRate(name, RateLimit.of(3, Duration.ofMinutes(10))))
                    .isTrue();
            Thread.sleep(1500); // proves an absence: the worker learns of the change within a second, and starts none
            assertThat(noop.ran)
                    .as("the 5 recent starts fill the stricter limit")
                    .hasSize(5);
            queue.limitRate(name, RateLimit.of(8, Duration.ofMinutes(10)));
            await().atMost(Duration.ofSeconds(20)).until(() -> noop.ran.size() == 8);
            Thread.sleep(1500); // proves an absence: no start beyond the difference
            assertThat(noop.ran)
                    .as("a wider limit lets exactly the difference through")
                    .hasSize(8);
            assertThat(queue.queueControls()).anySatisfy(c -> {
                assertThat(c.queue()).isEqualTo(name);
                assertThat(c.rateLimit()).isEqualTo(RateLimit.of(8, Duration.ofMinutes(10)));
            });
            assertThat(queue.removeRateLimit(name)).isTrue();
            assertThat(queue.removeRateLimit(name)).as("none any more").isFalse();
            await().atMost(Duration.ofSeconds(20)).until(() -> noop.ran.size() == 20);
            assertThat(SERVER.queryLong("SELECT COUNT(*) FROM sf_rate_permit WHERE queue = '" + name + "'"))
                    .isZero();
            assertThat(queue.stats().rateLimit(name)).isEmpty();
        } finally {
            worker.stop();
            assertThat(worker.awaitTermination(Duration.ofSeconds(20))).isTrue();
        }
    }

    /** When each job of the queue last started, as the database recorded it (ms), in order. */
    private static List<Long> startTimesMillis(String queueName) throws SQLException {
        List<Long> starts = new ArrayList<>();
        try (Connection c = SERVER.admin();
                PreparedStatement s = c.prepareStatement("SELECT attempt_started_at FROM sf_job WHERE queue = ?"
                        + " AND attempt_started_at IS NOT NULL ORDER BY attempt_started_at")) {
            s.setString(1, queueName);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    starts.add(rs.getTimestamp(1).getTime());
                }
            }
        }
        return starts;
    }

    /** The most of these sorted times that fall in one window {@code [t, t + windowMillis)}. */
    private static int mostInAnyWindow(List<Long> sorted, long windowMillis) {
        int most = 0;
        int from = 0;
        for (int to = 0; to < sorted.size(); to++) {
            while (sorted.get(to) - sorted.get(from) >= windowMillis) {
                from++;
            }
            most = Math.max(most, to - from + 1);
        }
        return most;
    }

    /** Works without sleeping, so only the flag can end the polite handler. */
    private static void busyFor(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    @Test
    void badNamesAreRefusedWhereTheyEnterAndJobsStoredUnderThemStayReadable() throws Exception {
        String good = QueueTestSupport.uniqueQueue("names");
        assertThatThrownBy(() ->
                        queue.enqueue(JobRequest.of("x\u0000y").queue(good).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a job type of 1 to 128 characters");
        assertThatThrownBy(
                        () -> queue.enqueue(JobRequest.of("noop").queue("a b").build()))
                .hasMessageContaining("a queue name");
        assertThatThrownBy(() -> queue.schedule(Schedule.every(
                        "tick\ntock",
                        Duration.ofMinutes(5),
                        JobRequest.of("noop").queue(good).build())))
                .hasMessageContaining("a schedule name");
        assertThatThrownBy(() -> queue.pause("mail,default"))
                .hasMessageContaining("a queue name of 1 to 64 characters");
        assertThatThrownBy(() -> queue.limitRate("mail:3", RateLimit.of(5, Duration.ofSeconds(1))))
                .hasMessageContaining("a queue name");
        assertThatThrownBy(() -> Worker.builder(queue).queues(List.of(good, "x\ny")))
                .hasMessageContaining("a queue name");
        assertThatThrownBy(() -> Worker.builder(queue).weightedQueues(Map.of("a b", 1)))
                .hasMessageContaining("a queue name");
        assertThatThrownBy(() -> Worker.builder(queue).handler(new Handlers.Recording("send email")))
                .hasMessageContaining("a job type");
        assertThat(SERVER.queryLong("SELECT COUNT(*) FROM sf_job WHERE queue IN ('" + good + "', 'a b')")
                        + SERVER.queryLong("SELECT COUNT(*) FROM sf_queue WHERE name IN ('mail,default', 'mail:3')")
                        + SERVER.queryLong("SELECT COUNT(*) FROM sf_schedule WHERE name LIKE 'tick%tock'"))
                .as("nothing written")
                .isZero();

        // rows written before the rule existed: still listed, shown, resumed and deleted
        String old = "old queue " + Long.toHexString(System.nanoTime());
        long legacy;
        try (var c = SERVER.admin();
                var s = c.prepareStatement(
                        "INSERT INTO sf_job (queue, type, payload, state, max_attempts, run_at)"
                                + " VALUES (?, 'old\ntype', '{}', 'pending', 3, NOW(3))",
                        Statement.RETURN_GENERATED_KEYS)) {
            s.setString(1, old);
            s.executeUpdate();
            try (var keys = s.getGeneratedKeys()) {
                keys.next();
                legacy = keys.getLong(1);
            }
        }
        try (var c = SERVER.admin();
                var s = c.prepareStatement("INSERT INTO sf_queue (name, paused, paused_at, updated_at)"
                        + " VALUES (?, 1, NOW(3), NOW(3))")) {
            s.setString(1, old);
            s.executeUpdate();
        }
        assertThat(queue.browser().job(legacy)).get().extracting(JobView::type).isEqualTo("old\ntype");
        assertThat(queue.browser().page(JobFilter.all().queue(old), null, 10).jobs())
                .extracting(JobView::id)
                .containsExactly(legacy);
        assertThat(queue.isKnownQueue(old)).isTrue();
        assertThat(queue.resume(old))
                .as("a queue paused before the rule can be resumed")
                .isTrue();
        assertThat(queue.delete(legacy)).isTrue();
    }
}
