package dev.steadfast.jdbc.internal.unit;

import dev.steadfast.jdbc.threads.DaemonThreads;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletes old commit markers in the background, in small batches so it never holds locks for long. */
public final class MarkerJanitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MarkerJanitor.class);
    private static final int BATCH = 1000;

    private final UnitRunner runner;
    private final Duration retention;
    private final ScheduledExecutorService scheduler;

    public MarkerJanitor(UnitRunner runner, Duration retention, Duration interval) {
        this.runner = runner;
        this.retention = retention;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("steadfast-marker-janitor"));
        scheduler.scheduleWithFixedDelay(this::sweep, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Deletes every marker older than the retention; returns how many. */
    public int sweep() {
        int total = 0;
        try {
            int deleted;
            do {
                // Deleting expired markers is idempotent, so it may be replayed like a read.
                deleted = runner.read(c -> CommitMarkers.purge(c, retention, BATCH));
                total += deleted;
            } while (deleted == BATCH);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("could not purge old commit markers (will try again): {}", e.getMessage());
        }
        return total;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
