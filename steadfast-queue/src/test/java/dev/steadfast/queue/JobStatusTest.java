package dev.steadfast.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one status type: its text (the contract of JSON, output and options), parsing, and what is stored. */
class JobStatusTest {
    @Test
    void textIsTheFormOutputAndOptionsCarry() {
        assertThat(JobStatus.TEXTS)
                .containsExactly("pending", "scheduled", "running", "succeeded", "failed", "cancelled", "waiting");
        for (JobStatus s : JobStatus.values()) {
            assertThat(JobStatus.parse(s.text())).isSameAs(s);
        }
        assertThat(JobStatus.parse(" failed "))
                .as("blanks around it, as options are typed")
                .isEqualTo(JobStatus.FAILED);
        assertThat(JobStatus.parseOrNull(null)).isNull();
        assertThat(JobStatus.parseOrNull("  "))
                .as("blank: any status, as filters take it")
                .isNull();
    }

    @Test
    void otherTextIsRefusedWithTheStatusesListed() {
        for (String wrong : new String[] {"done", "PENDING", "Failed", "", "pend"}) {
            assertThatThrownBy(() -> JobStatus.parse(wrong))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("unknown state '" + wrong
                            + "' (one of pending, scheduled, running, succeeded, failed, cancelled, waiting)");
        }
        assertThatThrownBy(() -> JobStatus.parse(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown state ''");
        assertThatThrownBy(() -> JobStatus.parseOrNull("done")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void scheduledIsReportedAndStoredAsPending() {
        assertThat(JobStatus.SCHEDULED.stored()).isEqualTo(JobState.PENDING);
        assertThat(JobStatus.of(JobState.PENDING, true)).isEqualTo(JobStatus.PENDING);
        assertThat(JobStatus.of(JobState.PENDING, false)).isEqualTo(JobStatus.SCHEDULED);
        for (JobState state : JobState.values()) {
            JobStatus reported = JobStatus.of(state, true);
            assertThat(reported.stored()).isEqualTo(state);
            assertThat(reported.text()).as("a stored state reads as its column").isEqualTo(state.column());
            assertThat(JobStatus.of(state, false).stored()).isEqualTo(state);
        }
        assertThat(List.of(JobStatus.values()))
                .filteredOn(JobStatus::waiting)
                .containsExactly(JobStatus.PENDING, JobStatus.SCHEDULED);
        assertThat(List.of(JobStatus.values()))
                .filteredOn(JobStatus::cancellable)
                .containsExactly(JobStatus.PENDING, JobStatus.SCHEDULED, JobStatus.RUNNING, JobStatus.WAITING);
    }

    @Test
    @SuppressWarnings("deprecation")
    void viewsAndFiltersReadTheTypedStatusAndKeepTheirText() {
        JobView view = new JobView(
                1,
                "q",
                "t",
                null,
                0,
                "scheduled",
                0,
                3,
                Instant.EPOCH,
                Instant.EPOCH,
                Instant.EPOCH,
                null,
                null,
                null,
                null);
        assertThat(view.status()).isEqualTo(JobStatus.SCHEDULED);
        assertThat(view.state()).isEqualTo("scheduled");

        JobFilter filter = JobFilter.all().status(JobStatus.RUNNING).queue("mail");
        assertThat(filter.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(filter.state()).isEqualTo("running");
        assertThat(filter.byRunTime()).isFalse();
        assertThat(filter.status(JobStatus.SCHEDULED).byRunTime()).isTrue();
        assertThat(filter.status(null).status()).isNull();
        assertThat(JobFilter.all().state("failed")).isEqualTo(JobFilter.all().status(JobStatus.FAILED));
        assertThatThrownBy(() -> JobFilter.all().state("done"))
                .hasMessage("unknown state 'done' (one of pending, scheduled, running, succeeded, failed, cancelled,"
                        + " waiting)");
        assertThat(JobFilter.STATES).isEqualTo(JobStatus.TEXTS);
    }

    @Test
    void countsAreReadByStatus() {
        QueueCounts counts = new QueueCounts(1, 2, 3, 4, 5, 6, Set.of("succeeded"), 7);
        assertThat(List.of(JobStatus.values())).extracting(counts::of).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(new QueueCounts(1, 2, 3, 4, 5, 6, Set.of()).waiting())
                .as("counts from before waiting jobs")
                .isZero();
        assertThat(counts.isEstimate(JobStatus.SUCCEEDED)).isTrue();
        assertThat(counts.isEstimate(JobStatus.FAILED)).isFalse();
    }

    @Test
    @SuppressWarnings("deprecation")
    void aScheduleViewCarriesItsCadenceAsDataAndStillWordsItTheOldWay() {
        ScheduleView every = new ScheduleView(
                "s", null, Duration.ofMinutes(5), null, "t", "q", MissedTicks.SKIP, false, null, null, null);
        assertThat(every.cadence()).isEqualTo("every 5m");
        assertThat(new ScheduleView(
                                "s",
                                null,
                                Duration.ofMillis(1500),
                                null,
                                "t",
                                "q",
                                MissedTicks.SKIP,
                                false,
                                null,
                                null,
                                null)
                        .cadence())
                .isEqualTo("every 1500ms");
        ScheduleView old = new ScheduleView("s", "every 2h", null, "t", "q", MissedTicks.SKIP, false, null, null, null);
        assertThat(old.every()).isEqualTo(Duration.ofHours(2));
        assertThat(old.cron()).isNull();
        ScheduleView cron =
                new ScheduleView("s", "0 3 * * *", "UTC", "t", "q", MissedTicks.SKIP, false, null, null, null);
        assertThat(cron.cron()).isEqualTo("0 3 * * *");
        assertThat(cron.every()).isNull();
        assertThat(cron.cadence()).isEqualTo("0 3 * * *");
        assertThatThrownBy(() ->
                        new ScheduleView("s", null, null, null, "t", "q", MissedTicks.SKIP, false, null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
