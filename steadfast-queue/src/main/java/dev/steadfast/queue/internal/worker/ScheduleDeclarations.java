package dev.steadfast.queue.internal.worker;

import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.Schedule;
import java.sql.SQLException;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The schedules a worker was built with, saved before its first tick; each tried again until the database answers. */
public final class ScheduleDeclarations {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduleDeclarations.class);

    private ScheduleDeclarations() {}

    /** Saves each schedule, waiting 5 s after a failure, while {@code running}; returns when done, stopped or interrupted. */
    public static void save(JobQueue queue, List<Schedule> schedules, BooleanSupplier running) {
        for (Schedule schedule : schedules) {
            while (running.getAsBoolean()) {
                try {
                    queue.schedule(schedule);
                    break;
                } catch (SQLException | RuntimeException e) {
                    LOG.warn("could not save schedule {} ({}); trying again in 5 s", schedule.name(), e.getMessage());
                    try {
                        Thread.sleep(5_000);
                    } catch (InterruptedException stop) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }
}
