package dev.steadfast.queue;

import java.util.List;

/**
 * Due jobs no live worker will start, as {@link JobQueue#stranded()} found them.
 *
 * <p>With no live worker at all, {@link #jobs()} is empty: every due job would be "stranded", which says nothing a
 * plain "no worker runs" does not (workers started on demand, a worker being restarted). The caller says that instead,
 * from {@link #liveWorkers()}.
 *
 * @param liveWorkers workers with a recent heartbeat
 * @param jobs        stranded jobs by queue and type, sorted; empty when none, or when no worker is alive
 */
public record StrandedReport(long liveWorkers, List<StrandedJobs> jobs) {
    public StrandedReport {
        jobs = List.copyOf(jobs);
    }
}
