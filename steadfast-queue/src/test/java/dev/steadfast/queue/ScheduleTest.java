package dev.steadfast.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.internal.schedule.Ticker;
import dev.steadfast.testkit.CommitCut;
import dev.steadfast.testkit.FaultProxy;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Recurring jobs on a real server: each tick enqueued exactly once by competing workers, through cut commits. */
@ExtendWith(SharedQueue.class)
class ScheduleTest {
    private static final MariaDbServer SERVER = MariaDbServer.shared();

    @SharedQueue.Open
    private static ResilientDatabase db;

    @SharedQueue.Open
    private static JobQueue queue;

    @Test
    void competingWorkersEnqueueEveryTickExactlyOnce() throws Exception {
        String name = QueueTestSupport.uniqueQueue("ticks");
        ScheduleView created = queue.schedule(Schedule.every(
                name, Duration.ofSeconds(1), JobRequest.of("tick").queue(name).build()));
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < 3; i++) { // they run no job of the queue: they only tick
            workers.add(QueueTestSupport.fastWorker(queue, QueueTestSupport.uniqueQueue("idle"))
                    .workerId(name + "-" + i)
                    .handler(new Handlers.Recording("noop"))
                    .build());
        }
        workers.forEach(Worker::start);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> jobs(name) >= 6);
        } finally {
            for (Worker w : workers) {
                w.stop();
            }
            for (Worker w : workers) {
                assertThat(w.awaitTermination(Duration.ofSeconds(20))).isTrue();
            }
        }
        ScheduleView last = queue.schedules().stream()
                .filter(v -> v.name().equals(name))
                .findFirst()
                .orElseThrow();
        queue.unschedule(name);
        long ticks = Duration.between(created.nextRun(), last.lastRun()).toSeconds() + 1;
        assertThat(jobs(name)).as("one job per tick from the first to the last").isEqualTo(ticks);
        assertThat(SERVER.queryLong("SELECT MAX(id) FROM sf_job WHERE queue = '" + name + "'"))
                .isEqualTo(last.lastJobId());
    }

    @ParameterizedTest
    @CsvSource({"MARIADB, AFTER_COMMIT", "MARIADB, BEFORE_COMMIT", "MYSQL, AFTER_COMMIT", "MYSQL, BEFORE_COMMIT"})
    void aTickWhoseCommitIsCutOffIsEnqueuedOnce(JdbcDriver driver, CommitCut cut) throws Exception {
        String name = QueueTestSupport.uniqueQueue("cut");
        queue.schedule(Schedule.every(
                name, Duration.ofHours(1), JobRequest.of("tick").queue(name).build()));
        SERVER.execute("UPDATE sf_schedule SET next_run_at = NOW(3) - INTERVAL 1 SECOND WHERE name = '" + name + "'");
        try (FaultProxy proxy = FaultProxy.inFrontOf(SERVER);
                ResilientDatabase viaProxy = QueueTestSupport.databaseVia(SERVER, driver, proxy)) {
            JobQueue other = JobQueue.create(viaProxy, new ObjectMapper(), false);
            Ticker ticker = new Ticker(viaProxy, other.store(), Schedule.MAX_CATCH_UP, queues -> {});
            proxy.armCommitCut(cut);
            ticker.tickOnce();
            assertThat(proxy.commitCutsFired()).isEqualTo(1);
            ticker.tickOnce(); // nothing due any more
        }
        assertThat(jobs(name)).as("exactly once").isEqualTo(1);
        ScheduleView after = queue.schedules().stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow();
        assertThat(after.nextRun()).isAfter(Instant.now().plus(Duration.ofMinutes(50)));
        queue.unschedule(name);
    }

    @Test
    void missedTicksAfterDowntimeFollowThePolicy() throws Exception {
        Ticker ticker = new Ticker(db, queue.store(), 50, queues -> {});
        for (MissedTicks policy : MissedTicks.values()) {
            String name = QueueTestSupport.uniqueQueue("missed-" + policy.word());
            queue.schedule(Schedule.every(
                            name,
                            Duration.ofMinutes(5),
                            JobRequest.of("tick").queue(name).build())
                    .missed(policy));
            // ten hours of downtime: 121 ticks missed, the last one 90 s ago (more than a minute: missed, not late)
            SERVER.execute(
                    "UPDATE sf_schedule SET next_run_at = NOW(3) - INTERVAL 10 HOUR - INTERVAL 90 SECOND WHERE name = '"
                            + name + "'");
            ticker.tickOnce();
            long expected = switch (policy) {
                case SKIP -> 0;
                case ONCE -> 1;
                case ALL -> 50; // the bound
            };
            assertThat(jobs(name)).as(policy.word()).isEqualTo(expected);
            ScheduleView after = queue.schedules().stream()
                    .filter(s -> s.name().equals(name))
                    .findFirst()
                    .orElseThrow();
            assertThat(after.nextRun())
                    .as("the next tick is in the future")
                    .isAfter(Instant.now().minusSeconds(5));
            queue.unschedule(name);
        }
    }

    @Test
    void schedulesDeclaredInCodeAreSavedAndKeepTheirNextTickWhenDeclaredAgain() throws Exception {
        String name = QueueTestSupport.uniqueQueue("declared");
        Schedule nightly = Schedule.cron(
                name,
                "0 3 * * *",
                ZoneId.of("Europe/Berlin"),
                JobRequest.of("report").queue(name).build());
        Worker worker = QueueTestSupport.fastWorker(queue, name)
                .handler(new Handlers.Recording("noop"))
                .schedule(nightly)
                .build();
        worker.start();
        try {
            await().atMost(Duration.ofSeconds(20))
                    .until(() ->
                            queue.schedules().stream().anyMatch(s -> s.name().equals(name)));
        } finally {
            worker.stop();
            worker.awaitTermination(Duration.ofSeconds(20));
        }
        ScheduleView saved = queue.schedules().stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow();
        assertThat(saved.cron()).isEqualTo("0 3 * * *");
        assertThat(saved.every()).isNull();
        assertThat(saved.zone()).isEqualTo("Europe/Berlin");
        assertThat(saved.nextRun().atZone(ZoneId.of("Europe/Berlin")).getHour()).isEqualTo(3);
        SERVER.execute("UPDATE sf_schedule SET next_run_at = next_run_at + INTERVAL 7 DAY WHERE name = '" + name + "'");
        Instant moved = saved.nextRun().plus(Duration.ofDays(7));
        queue.schedule(nightly.missed(MissedTicks.ALL)); // the same cadence: the next tick stays
        ScheduleView again = queue.schedules().stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow();
        assertThat(again.nextRun()).isEqualTo(moved);
        assertThat(again.missed()).isEqualTo(MissedTicks.ALL);
        queue.schedule(Schedule.cron(
                name,
                "0 4 * * *",
                ZoneId.of("Europe/Berlin"),
                JobRequest.of("report").queue(name).build()));
        assertThat(queue.schedules().stream()
                        .filter(s -> s.name().equals(name))
                        .findFirst()
                        .orElseThrow()
                        .nextRun()
                        .atZone(ZoneId.of("Europe/Berlin"))
                        .getHour())
                .as("a new cadence takes its own next tick")
                .isEqualTo(4);
        assertThat(queue.unschedule(name)).isTrue();
        assertThat(queue.unschedule(name)).isFalse();
    }

    @Test
    void aPausedScheduleEnqueuesNothingAndResumesFromItsNextTick() throws Exception {
        String name = QueueTestSupport.uniqueQueue("paused");
        queue.schedule(Schedule.every(
                        name,
                        Duration.ofMinutes(1),
                        JobRequest.of("tick").queue(name).build())
                .missed(MissedTicks.ALL));
        assertThat(queue.pauseSchedule(name)).isTrue();
        assertThat(queue.pauseSchedule(name)).isFalse();
        SERVER.execute("UPDATE sf_schedule SET next_run_at = NOW(3) - INTERVAL 10 MINUTE WHERE name = '" + name + "'");
        Ticker ticker = new Ticker(db, queue.store(), 50, queues -> {});
        ticker.tickOnce();
        assertThat(jobs(name)).as("paused").isZero();
        assertThat(queue.schedules().stream()
                        .filter(s -> s.name().equals(name))
                        .findFirst()
                        .orElseThrow()
                        .paused())
                .isTrue();
        assertThat(queue.resumeSchedule(name)).isTrue();
        ticker.tickOnce();
        assertThat(jobs(name))
                .as("ticks passed while paused are not made up for, even under 'all'")
                .isZero();
        assertThat(queue.schedules().stream()
                        .filter(s -> s.name().equals(name))
                        .findFirst()
                        .orElseThrow()
                        .nextRun())
                .isAfter(Instant.now());
        assertThat(queue.resumeSchedule("no-such-schedule")).isFalse();
        queue.unschedule(name);
    }

    @Test
    void badSchedulesSayWhatIsWrong() {
        JobRequest job = JobRequest.of("x").build();
        assertThatThrownBy(() -> Schedule.cron("s", "0 25 * * *", ZoneId.of("UTC"), job))
                .hasMessageStartingWith("bad cron expression");
        assertThat(Schedule.cron("s", "@weekly", ZoneId.of("UTC"), job).cron())
                .as("a macro is kept as written")
                .isEqualTo("@weekly");
        assertThatThrownBy(() -> Schedule.cron("s", "@fortnightly", ZoneId.of("UTC"), job))
                .hasMessageStartingWith("unknown cron macro");
        assertThatThrownBy(() -> Schedule.every("s", Duration.ofMillis(10), job))
                .hasMessageContaining("an interval of 1 s to 3650 days");
        assertThatThrownBy(() -> Schedule.every("s", Duration.ofDays(3651), job))
                .hasMessage("an interval of 1 s to 3650 days is required, got 3651 days");
        assertThatThrownBy(() -> new Schedule("s", "0 3 * * *", null, Duration.ofMinutes(1), job, null))
                .hasMessageContaining("either a cron expression or an interval");
    }

    private static long jobs(String queueName) throws SQLException {
        return SERVER.queryLong("SELECT COUNT(*) FROM sf_job WHERE queue = '" + queueName + "'");
    }
}
