package dev.steadfast.jdbc.internal.pool;

import dev.steadfast.jdbc.threads.DaemonThreads;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Checks now and then whether an earlier server of the list takes writes again while the writer is a later one, and
 * moves back to it (the pool's connections to the later one are evicted as they come back): every process using the
 * same list thus ends up writing through the same node. It also confirms that the writer still takes writes, so that
 * a switchover is noticed even by a process whose units of work are idle (and by plain code using the pool).
 */
public final class WriterFailback implements AutoCloseable {
    private final ScheduledExecutorService timer;

    private WriterFailback(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /**
     * Starts the check for a data source that chooses its writer.
     *
     * @param evictConnections drops the pool's connections when the writer changes or refuses work
     * @param moved            counts a move
     */
    public static WriterFailback start(
            TrackingDataSource source, Runnable evictConnections, Runnable moved, Duration every) {
        WriterSelector writer = source.writer();
        writer.onChange(evictConnections, moved);
        ScheduledExecutorService timer =
                Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("steadfast-writer-failback"));
        timer.scheduleWithFixedDelay(
                () -> {
                    if (writer.current() != 0) {
                        writer.failback(source::open);
                    }
                    writer.confirm(source::open);
                },
                every.toMillis(),
                every.toMillis(),
                TimeUnit.MILLISECONDS);
        return new WriterFailback(timer);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
