package dev.steadfast.queue.notify;

import dev.steadfast.jdbc.ConnectionHealth;
import dev.steadfast.jdbc.threads.DaemonThreads;
import dev.steadfast.queue.events.WorkerEvent;
import dev.steadfast.queue.events.WorkerListener;
import dev.steadfast.queue.text.Redactor;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells operators what they must know: a job failed for good, the database has been unreachable for
 * longer than the policy allows, and that it is back. Events arrive on worker threads and are handed to
 * one thread of this dispatcher, which throttles, aggregates and delivers them: a slow webhook never
 * holds up a job. Every text passes through the {@link Redactor} first; payloads and the environment are
 * never part of a message.
 */
public final class NotificationDispatcher implements WorkerListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationDispatcher.class);

    private final List<Notifier> notifiers;
    private final NotificationPolicy policy;
    private final Supplier<Redactor> redactor; // the process's secrets grow as it learns them
    private final Throttle throttle;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor thread;
    private Instant downSince; // set while an outage has been reported; owned by the dispatcher thread

    public NotificationDispatcher(
            List<Notifier> notifiers, NotificationPolicy policy, Supplier<Redactor> redactor, Clock clock) {
        this.notifiers = List.copyOf(notifiers);
        this.policy = policy;
        this.redactor = redactor;
        this.throttle = new Throttle(policy.window(), policy.maxPerMinute(), clock);
        this.clock = clock;
        this.thread = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("steadfast-notify"));
        // at close, pending periodic checks must not hold the process
        thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        long tick = Math.max(100, Math.min(1000, policy.window().toMillis() / 4));
        thread.scheduleWithFixedDelay(() -> deliver(throttle.due()), tick, tick, TimeUnit.MILLISECONDS);
    }

    /**
     * Watches the database's reachability, as its units of work see it, once a second: an outage is
     * reported once it has lasted the policy's threshold (counted from its first failed unit, while
     * units are still retrying), and its end when a unit succeeds again.
     */
    public void watch(Supplier<ConnectionHealth> health) {
        thread.scheduleWithFixedDelay(() -> checkReachability(health.get().unreachableSince()), 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void onEvent(WorkerEvent event) {
        if (event instanceof WorkerEvent.JobFinished f && f.result() == WorkerEvent.JobFinished.Result.FAILED) {
            thread.execute(() -> offer(jobFailed(f)));
        }
    }

    private Notification jobFailed(WorkerEvent.JobFinished f) {
        String error = f.errorSummary();
        String key = "job-failed|" + f.type() + "|" + f.errorClass() + "|"
                + (f.message() == null ? "" : f.message().replaceAll("\\d+", "#"));
        return new Notification(
                Notification.Kind.JOB_FAILED,
                key,
                redactor.get().redact("job failed for good: " + f.type()),
                redactor.get()
                        .redact("job " + f.jobId() + " (type " + f.type() + ", queue " + f.queue() + ") failed after "
                                + f.attempt() + " attempt(s) on worker " + f.workerId() + ": " + error),
                1,
                f.at());
    }

    private void checkReachability(Instant unreachableSince) {
        Instant now = clock.instant();
        if (unreachableSince != null
                && downSince == null
                && Duration.between(unreachableSince, now).compareTo(policy.databaseDownAfter()) >= 0) {
            downSince = unreachableSince;
            offer(new Notification(
                    Notification.Kind.DATABASE_DOWN,
                    "database-down",
                    "database unreachable",
                    "the worker has not reached its database for "
                            + Duration.between(unreachableSince, now).toSeconds()
                            + " s (since " + unreachableSince + "); claims wait, finished outcomes are kept in memory"
                            + " and written when it is back",
                    1,
                    now));
        } else if (unreachableSince == null && downSince != null) {
            Duration downtime = Duration.between(downSince, now);
            downSince = null;
            offer(new Notification(
                    Notification.Kind.DATABASE_RECOVERED,
                    "database-recovered",
                    "database reachable again",
                    "the database is back after " + downtime.toSeconds() + " s; the worker resumed",
                    1,
                    now));
        }
    }

    private void offer(Notification n) {
        deliver(throttle.offer(n));
    }

    private void deliver(List<Notification> messages) {
        for (Notification n : messages) {
            for (Notifier notifier : notifiers) {
                sendWithRetry(notifier, n);
            }
        }
    }

    private void sendWithRetry(Notifier notifier, Notification n) {
        for (int attempt = 1; attempt <= 2; attempt++) {
            try {
                notifier.send(n);
                return;
            } catch (IOException e) {
                if (attempt == 2) {
                    LOG.warn(
                            "could not deliver '{}' to {}: {}",
                            n.headline(),
                            notifier.describe(),
                            redactor.get().redact(e.getMessage()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Delivers what is still held (aggregates), waiting a bounded time. */
    @Override
    public void close() {
        thread.execute(() -> deliver(throttle.drain()));
        thread.shutdown();
        try {
            if (!thread.awaitTermination(Duration.ofSeconds(15).toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("notifications still being delivered after 15 s; giving up on them");
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "notifications";
    }
}
