package dev.steadfast.queue.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.queue.events.WorkerEvent.JobFinished;
import dev.steadfast.queue.events.WorkerEvent.JobFinished.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stop line counts jobs, not attempts. */
class JobCountsTest {
    private static JobFinished finished(long id, int attempt, Result result) {
        return new JobFinished(id, "q", "t", attempt, 3, result, Duration.ofMillis(5), null, null, "w", Instant.EPOCH);
    }

    @Test
    void aJobRetriedThenSucceededIsOneSucceededJob() {
        JobCounts counts = new JobCounts();
        counts.onEvent(finished(1, 1, Result.RETRIED));
        counts.onEvent(finished(1, 2, Result.RETRIED));
        counts.onEvent(finished(1, 3, Result.SUCCEEDED));
        counts.onEvent(finished(2, 1, Result.RETRIED));
        assertThat(counts.summary()).isEqualTo("2 jobs (1 succeeded, 1 to be retried)");
    }

    @Test
    void aReleasedJobIsOneJobReleased() {
        JobCounts counts = new JobCounts();
        counts.released(List.of(7L));
        assertThat(counts.summary()).isEqualTo("1 job (1 released back to the queue)");
        assertThat(new JobCounts().summary()).isEqualTo("0 jobs");
    }

    @Test
    void pastTheRememberedOpenJobsTheyAreStillCountedOnce() {
        JobCounts counts = new JobCounts();
        for (long id = 0; id <= JobCounts.OPEN_REMEMBERED; id++) {
            counts.onEvent(finished(id, 1, Result.RETRIED));
        }
        counts.onEvent(finished(JobCounts.OPEN_REMEMBERED + 1, 1, Result.FAILED));
        assertThat(counts.jobs()).isEqualTo(JobCounts.OPEN_REMEMBERED + 2);
    }
}
