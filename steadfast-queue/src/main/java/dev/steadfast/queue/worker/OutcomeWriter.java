package dev.steadfast.queue.worker;

import dev.steadfast.jdbc.DatabaseUnavailableException;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.store.JobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Writes attempt outcomes, each in a unit of work whose interrupted COMMIT is resolved by the job row
 * itself (it left 'running' under our lease token). While the database is unreachable, finished
 * outcomes wait here and are written, still fenced by their lease, as soon as it is back.
 */
public final class OutcomeWriter {
    private static final Logger LOG = LoggerFactory.getLogger(OutcomeWriter.class);

    private final ResilientDatabase db;
    private final String workerId;
    private final DatabaseHealth health;
    private final ConcurrentLinkedQueue<Outcome> waiting = new ConcurrentLinkedQueue<>();

    public OutcomeWriter(ResilientDatabase db, String workerId, DatabaseHealth health) {
        this.db = db;
        this.workerId = workerId;
        this.health = health;
    }

    /** Writes the outcome now, or keeps it for later when the database is unreachable. */
    public void write(Outcome outcome) {
        try {
            writeNow(outcome);
            health.ok();
        } catch (DatabaseUnavailableException e) {
            health.unreachable(e);
            waiting.add(outcome);
        } catch (SQLException | RuntimeException e) {
            LOG.error("could not record the outcome of job {} ({}): {}", outcome.job().id(), outcome.kind(), e.toString(), e);
        }
    }

    /** Writes what waited during an outage; returns how many are still waiting. */
    public int flush() {
        List<Outcome> batch = new ArrayList<>();
        Outcome next;
        while ((next = waiting.poll()) != null) {
            batch.add(next);
        }
        for (Outcome outcome : batch) {
            write(outcome);
        }
        return waiting.size();
    }

    public int waiting() {
        return waiting.size();
    }

    private void writeNow(Outcome outcome) throws SQLException {
        boolean ours = db.transaction(c -> JobStore.outcomeCommitted(c, outcome.job()), tx -> switch (outcome.kind()) {
            case SUCCEEDED -> JobStore.succeed(tx, outcome.job());
            case RETRY -> JobStore.retry(tx, outcome.job(), outcome.delay(), outcome.failure());
            case FAILED -> JobStore.fail(tx, outcome.job(), outcome.failure(), workerId);
        });
        if (!ours) {
            LOG.warn("job {}: lease lost before its outcome ({}) could be recorded; another worker owns it now",
                    outcome.job().id(), outcome.kind());
        }
    }
}
