package dev.steadfast.queue.internal.worker;

import dev.steadfast.jdbc.retry.Backoff;
import dev.steadfast.queue.internal.store.ClaimedJob;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's poller: until the worker stops, it checks the worker's limits, writes back outcomes held during an
 * outage, claims as many jobs as {@link PollPolicy} allows and hands them to the {@link JobDispatcher}. While its
 * queues are empty it polls with a cheap read, pausing longer each time; a failing database is waited out longer
 * still. One thread runs it.
 */
public final class PollLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(PollLoop.class);
    // waiting out a database that does not answer: never a tight loop, and many workers spread out
    private static final Backoff FAILURE_BACKOFF = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(5));

    private final String workerId;
    private final WorkerState state;
    private final WorkerLimits limits;
    private final PollPolicy polling;
    private final OutcomeWriter outcomes;
    private final Claimer claimer;
    private final JobDispatcher dispatcher;
    private final WakeSignal signal;
    private final Clock clock;
    private final Runnable stop;
    private volatile Instant startedAt;
    // the last claim found nothing and no wake-up came since: the next poll is a cheap read, not a claim
    private boolean idle;
    private Duration idlePause;
    private long nextPermitAt; // System.nanoTime() when a rate-limited queue's next permit frees; 0: none known

    /**
     * @param stop stops the worker (a limit reached, the poller interrupted); the loop ends once the state says so
     */
    public PollLoop(
            String workerId,
            WorkerState state,
            WorkerLimits limits,
            PollPolicy polling,
            OutcomeWriter outcomes,
            Claimer claimer,
            JobDispatcher dispatcher,
            WakeSignal signal,
            Clock clock,
            Runnable stop) {
        this.workerId = workerId;
        this.state = state;
        this.limits = limits;
        this.polling = polling;
        this.outcomes = outcomes;
        this.claimer = claimer;
        this.dispatcher = dispatcher;
        this.signal = signal;
        this.clock = clock;
        this.stop = stop;
    }

    /** When the worker started, for its time limit; set before the loop runs. */
    public void startedAt(Instant at) {
        this.startedAt = at;
    }

    @Override
    public void run() {
        idlePause = polling.minPoll();
        int failures = 0;
        while (state.running()) {
            Optional<String> limit = limits.reached(dispatcher.processed(), startedAt, clock.instant(), heapInUseMb());
            if (limit.isPresent()) {
                LOG.info("worker {} {}", workerId, limit.get());
                stop.run();
                break;
            }
            if (outcomes.waiting() > 0 && outcomes.flush() > 0) {
                sleep(FAILURE_BACKOFF.pause(
                        ++failures, failurePauseCap())); // the database is still down: claim nothing
                continue;
            }
            int size = polling.claimSize(
                    dispatcher.freeSlots(),
                    dispatcher.held(),
                    limits.budget(dispatcher.processed(), dispatcher.held()));
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
            for (ClaimedJob job : claim.jobs()) {
                dispatcher.dispatch(job);
            }
            nextPermitAt = claim.nextPermitIn() == null
                    ? 0
                    : System.nanoTime() + claim.nextPermitIn().toNanos();
            if (claim.jobs().isEmpty()) {
                idle = true;
                pauseIdle();
            } else {
                idle = false;
                idlePause = polling.minPoll();
            }
        }
    }

    // a database that fails is waited out longer than an empty queue is polled: idle polls are cheap reads, a
    // failing claim is a unit of work that has already retried
    private Duration failurePauseCap() {
        Duration floor = Duration.ofSeconds(2);
        return polling.maxPoll().compareTo(floor) > 0 ? polling.maxPoll() : floor;
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
            idlePause = polling.minPoll();
        } else {
            idlePause = polling.nextIdle(idlePause);
        }
    }

    /** Waits up to {@code duration}; true when a wake-up ended (or preceded) the wait. */
    private boolean sleep(Duration duration) {
        try {
            return signal.await(duration);
        } catch (InterruptedException e) {
            // an interrupted poller stops the worker the one way that ends in its shutdown: awaitTermination returns
            Thread.currentThread().interrupt();
            stop.run();
            return false;
        }
    }

    private void awaitSlot() {
        try {
            signal.awaitSlot(polling.maxPoll(), state::running);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.run(); // as in sleep(): an interrupt ends the worker through its shutdown, never in a spin
        }
    }

    private static long heapInUseMb() {
        Runtime rt = Runtime.getRuntime();
        return (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024);
    }
}
