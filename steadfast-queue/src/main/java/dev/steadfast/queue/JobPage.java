package dev.steadfast.queue;

import dev.steadfast.queue.internal.store.JobSearch;
import java.time.Instant;
import java.util.List;

/**
 * A page of a job list ({@link JobBrowser#page}).
 *
 * @param jobs        the jobs on this page
 * @param next        the cursor of the next page, or null when this is the last
 * @param total       how many jobs match the filter, counted up to {@link JobBrowser#COUNT_CAP}
 * @param totalCapped true when there are at least {@code total} (counting stopped there)
 */
public record JobPage(List<JobView> jobs, String next, long total, boolean totalCapped) {
    public JobPage {
        jobs = List.copyOf(jobs);
    }

    /** A cursor: the last row's id, preceded by its run time in epoch ms for lists ordered by run time. */
    static String encode(JobView last, boolean byRunTime) {
        return byRunTime ? last.runAt().toEpochMilli() + "-" + last.id() : Long.toString(last.id());
    }

    static JobSearch.Cursor decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            int dash = cursor.indexOf('-');
            if (dash < 0) {
                return new JobSearch.Cursor(null, Long.parseLong(cursor));
            }
            return new JobSearch.Cursor(
                    Instant.ofEpochMilli(Long.parseLong(cursor.substring(0, dash))),
                    Long.parseLong(cursor.substring(dash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a page cursor: '" + cursor + "'", e);
        }
    }
}
