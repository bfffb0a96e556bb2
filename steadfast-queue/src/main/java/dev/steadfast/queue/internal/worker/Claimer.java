package dev.steadfast.queue.internal.worker;

import dev.steadfast.jdbc.DatabaseUnavailableException;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.internal.metrics.JobMetrics;
import dev.steadfast.queue.internal.store.ClaimedJob;
import dev.steadfast.queue.internal.store.Claims;
import dev.steadfast.queue.internal.store.Store;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims batches of due jobs under a fresh lease token. The claim is a unit of work whose interrupted
 * COMMIT is resolved by looking for rows carrying the token, so a lost connection never leaves jobs
 * claimed by nobody, nor claims them twice.
 */
public final class Claimer {
    private static final Logger LOG = LoggerFactory.getLogger(Claimer.class);

    /**
     * What a claim came to: the jobs, or that claiming failed (the poller backs off); and when a rate-limited queue
     * it found no permit for has one again (null: no such queue).
     */
    public record Result(List<ClaimedJob> jobs, boolean failed, Duration nextPermitIn) {
        static Result of(Claims.Claim claim) {
            return new Result(claim.jobs(), false, claim.nextPermitIn());
        }

        static Result failure() {
            return new Result(List.of(), true, null);
        }
    }

    private final ResilientDatabase db;
    private final Store store;
    private final QueueOrder queues;
    private final List<String> types;
    private final String workerId;
    private final Duration lease;
    private final JobMetrics metrics;
    private final DatabaseHealth health;
    private final RateLimitedQueues rateLimited = new RateLimitedQueues(System::nanoTime);
    private final PrivilegeDenials denials = new PrivilegeDenials(LOG);

    /**
     * @param queues the order to claim from in: strict (a later queue only when the earlier ones have no due job)
     *               or weighted
     * @param types  the job types the worker handles: it never claims a job it cannot run
     */
    public Claimer(
            ResilientDatabase db,
            Store store,
            QueueOrder queues,
            List<String> types,
            String workerId,
            Duration lease,
            JobMetrics metrics,
            DatabaseHealth health) {
        this.db = db;
        this.store = store;
        this.queues = queues;
        this.types = List.copyOf(types);
        this.workerId = workerId;
        this.lease = lease;
        this.metrics = metrics;
        this.health = health;
    }

    public Result claim(int limit) {
        long token = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        try (Operation op = Operation.named("claim")) {
            long started = System.nanoTime();
            Claims.Claim claim = db.transaction(c -> store.claims().claimCommitted(c, token), tx -> {
                if (rateLimited.stale()) {
                    rateLimited.update(store.settings().rateLimitedQueues(tx));
                }
                return store.claims()
                        .claim(
                                tx,
                                queues.next(ThreadLocalRandom.current()::nextDouble),
                                types,
                                limit,
                                workerId,
                                token,
                                lease,
                                rateLimited.limited());
            });
            metrics.claimed(claim.jobs().size(), Duration.ofNanos(System.nanoTime() - started));
            health.ok();
            return Result.of(claim);
        } catch (DatabaseUnavailableException e) {
            health.unreachable(e);
            return Result.failure();
        } catch (SQLException | RuntimeException e) {
            if (!denials.handled("claiming jobs", e)) {
                LOG.error("claiming jobs failed: {}", e.toString(), e);
            }
            return Result.failure();
        }
    }

    /**
     * Whether a claim would find a job now: one index read in autocommit instead of a locking transaction, the idle
     * worker's poll. Like a claim, it tells the worker's health what it found: an idle worker learns here that its
     * database is back. A failure answers yes, so the claim that follows meets it and the worker backs off as usual.
     */
    public boolean anyDue() {
        try (Operation op = Operation.named("poll")) {
            boolean due = db.read(c -> store.claims().anyDue(c, queues.queues(), types));
            health.ok();
            return due;
        } catch (DatabaseUnavailableException e) {
            health.unreachable(e);
            return true;
        } catch (SQLException | RuntimeException e) {
            LOG.debug("idle poll failed: {}", e.toString());
            return true;
        }
    }
}
