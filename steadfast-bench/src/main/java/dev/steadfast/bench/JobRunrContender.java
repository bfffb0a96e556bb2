package dev.steadfast.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.JobActivator;
import org.jobrunr.storage.sql.mariadb.MariaDbStorageProvider;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

/**
 * JobRunr 8 on the same server ({@code MariaDbStorageProvider}, its own tables), for the side-by-side benchmark:
 * a static no-op job, enqueued one by one or as a stream, drained by a background job server with the same
 * number of workers as the others, polling every 5 s (its default is 15 s), its other settings default.
 */
public final class JobRunrContender implements AutoCloseable { // public: JobRunr calls noop by reflection
    private static final AtomicLong DONE = new AtomicLong();

    private final HikariDataSource pool;
    private final MariaDbStorageProvider storage;
    private final JacksonJsonMapper json = new JacksonJsonMapper();
    private final JobScheduler scheduler;

    JobRunrContender(HikariDataSource pool) {
        this.pool = pool;
        this.storage = new MariaDbStorageProvider(pool);
        this.storage.setJobMapper(new JobMapper(json));
        this.scheduler = new JobScheduler(storage);
    }

    /** The job: JobRunr calls it by name, found from the lambda enqueued. */
    public static void noop(int i) {
        DONE.incrementAndGet();
    }

    void enqueueOne(int i) {
        scheduler.enqueue(() -> JobRunrContender.noop(i));
    }

    void enqueueStream(int jobs) {
        scheduler.enqueue(IntStream.range(0, jobs).boxed(), i -> JobRunrContender.noop(i));
    }

    /** Runs the enqueued jobs with {@code workers} threads; jobs per second from start to the last one done. */
    double drain(int jobs, int workers) throws InterruptedException {
        DONE.set(0);
        BackgroundJobServer server = new BackgroundJobServer(
                storage,
                json,
                new JobActivator() {
                    @Override
                    public <T> T activateJob(Class<T> type) {
                        return null; // static jobs need no instance
                    }
                },
                BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
                        .andWorkerCount(workers)
                        .andPollInterval(Duration.ofSeconds(5)));
        long start = System.nanoTime();
        server.start();
        try {
            while (DONE.get() < jobs) {
                Thread.sleep(5);
            }
            return jobs / ((System.nanoTime() - start) / 1e9);
        } finally {
            server.stop();
        }
    }

    void clear() throws SQLException {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement()) {
            s.execute("DELETE FROM jobrunr_jobs");
        }
    }

    @Override
    public void close() {
        storage.close();
        pool.close();
    }
}
