package dev.steadfast.queue.internal.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ticks of cron expressions in time zones (daylight saving time included) and of intervals; missed-tick policies. */
class CadenceTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final Duration LATE = Duration.ofMinutes(1);

    @Test
    void fiveFieldsAreUnixCronInTheGivenZone() {
        Cadence nightly = Cadence.cron("0 3 * * *", BERLIN);
        Instant after = ZonedDateTime.of(2026, 6, 1, 12, 0, 0, 0, BERLIN).toInstant();
        assertThat(nightly.next(after))
                .contains(ZonedDateTime.of(2026, 6, 2, 3, 0, 0, 0, BERLIN).toInstant());
        assertThat(nightly.next(after).orElseThrow()).isEqualTo(Instant.parse("2026-06-02T01:00:00Z")); // CEST, UTC+2
    }

    @Test
    void sixFieldsHaveSecondsFirst() {
        Cadence everyTenSeconds = Cadence.cron("*/10 * * * * *", ZoneId.of("UTC"));
        assertThat(everyTenSeconds.next(Instant.parse("2026-01-01T00:00:03Z")))
                .contains(Instant.parse("2026-01-01T00:00:10Z"));
    }

    @Test
    void aDaylightSavingChangeNeitherDoublesNorLosesADailyTick() {
        Cadence at230 = Cadence.cron("30 2 * * *", BERLIN);
        // spring forward (29 March 2026, 02:00 -> 03:00: 02:30 does not exist) and fall back (25 October 2026, 02:30
        // happens twice): one tick a day either way
        assertThat(ticksPerDay(at230, ZonedDateTime.of(2026, 3, 27, 12, 0, 0, 0, BERLIN), 4))
                .containsOnly(1);
        assertThat(at230.next(ZonedDateTime.of(2026, 3, 28, 12, 0, 0, 0, BERLIN).toInstant()))
                .as("02:30 CET, i.e. 03:30 CEST")
                .contains(ZonedDateTime.of(2026, 3, 29, 3, 30, 0, 0, BERLIN).toInstant());
        assertThat(ticksPerDay(at230, ZonedDateTime.of(2026, 10, 23, 12, 0, 0, 0, BERLIN), 4))
                .containsOnly(1);
        Cadence hourly = Cadence.cron("0 * * * *", BERLIN);
        Instant start = ZonedDateTime.of(2026, 10, 25, 0, 30, 0, 0, BERLIN).toInstant();
        List<Instant> ticks = ticks(hourly, start, start.plus(Duration.ofHours(4)));
        assertThat(ticks)
                .as("hourly ticks are an hour apart in real time across the change")
                .hasSize(4);
        for (int i = 1; i < ticks.size(); i++) {
            assertThat(Duration.between(ticks.get(i - 1), ticks.get(i))).isEqualTo(Duration.ofHours(1));
        }
    }

    @Test
    void cronMacrosAreTheirFiveFields() {
        Instant after = ZonedDateTime.of(2026, 6, 10, 12, 34, 0, 0, BERLIN).toInstant(); // a Wednesday
        assertThat(Cadence.cron("@hourly", BERLIN).next(after))
                .contains(ZonedDateTime.of(2026, 6, 10, 13, 0, 0, 0, BERLIN).toInstant());
        for (String daily : List.of("@daily", "@midnight", " @DAILY ")) {
            assertThat(Cadence.cron(daily, BERLIN).next(after))
                    .as(daily)
                    .contains(ZonedDateTime.of(2026, 6, 11, 0, 0, 0, 0, BERLIN).toInstant());
        }
        assertThat(Cadence.cron("@weekly", BERLIN).next(after))
                .as("Sunday midnight")
                .contains(ZonedDateTime.of(2026, 6, 14, 0, 0, 0, 0, BERLIN).toInstant());
        assertThat(Cadence.cron("@monthly", BERLIN).next(after))
                .contains(ZonedDateTime.of(2026, 7, 1, 0, 0, 0, 0, BERLIN).toInstant());
        for (String yearly : List.of("@yearly", "@annually")) {
            assertThat(Cadence.cron(yearly, BERLIN).next(after))
                    .as(yearly)
                    .contains(ZonedDateTime.of(2027, 1, 1, 0, 0, 0, 0, BERLIN).toInstant());
        }
        assertThatThrownBy(() -> Cadence.cron("@reboot", BERLIN))
                .hasMessageStartingWith("unknown cron macro '@reboot': use @hourly");
    }

    @Test
    void badExpressionsSayWhatIsWrong() {
        assertThatThrownBy(() -> Cadence.cron("0 3 * *", BERLIN)).hasMessageContaining("has 4");
        assertThatThrownBy(() -> Cadence.cron("0 25 * * *", BERLIN))
                .hasMessageStartingWith("bad cron expression '0 25 * * *'");
        assertThatThrownBy(() -> Cadence.cron("", BERLIN)).hasMessageContaining("5 fields");
    }

    @Test
    void missedTicksFollowThePolicy() {
        Cadence minutely = Cadence.every(Duration.ofMinutes(1));
        Instant due = Instant.parse("2026-01-01T00:00:00Z");
        Instant now = Instant.parse("2026-01-01T00:10:30Z"); // 11 ticks due; the last (00:10) is on time
        Cadence.Due skip = minutely.due(due, now, Cadence.MissedPolicy.SKIP, LATE, 100);
        assertThat(skip.ticks()).containsExactly(Instant.parse("2026-01-01T00:10:00Z"));
        assertThat(skip.next()).isEqualTo(Instant.parse("2026-01-01T00:11:00Z"));

        Cadence fiveMinutes = Cadence.every(Duration.ofMinutes(5));
        Instant later = Instant.parse("2026-01-01T00:51:30Z"); // ticks 00:00 to 00:50 due, the last 90 s old: all late
        assertThat(fiveMinutes
                        .due(due, later, Cadence.MissedPolicy.SKIP, LATE, 100)
                        .ticks())
                .isEmpty();
        assertThat(fiveMinutes
                        .due(due, later, Cadence.MissedPolicy.SKIP, LATE, 100)
                        .dropped())
                .isEqualTo(11);
        assertThat(fiveMinutes
                        .due(due, later, Cadence.MissedPolicy.ALL, LATE, 3)
                        .dropped())
                .isEqualTo(8);
        assertThat(fiveMinutes
                        .due(due, later, Cadence.MissedPolicy.ONCE, LATE, 100)
                        .ticks())
                .containsExactly(Instant.parse("2026-01-01T00:50:00Z"));
        assertThat(fiveMinutes
                        .due(due, later, Cadence.MissedPolicy.ALL, LATE, 100)
                        .ticks())
                .hasSize(11)
                .startsWith(due);
        assertThat(fiveMinutes
                        .due(due, later, Cadence.MissedPolicy.ALL, LATE, 3)
                        .ticks())
                .as("bounded, most recent kept")
                .containsExactly(
                        Instant.parse("2026-01-01T00:40:00Z"),
                        Instant.parse("2026-01-01T00:45:00Z"),
                        Instant.parse("2026-01-01T00:50:00Z"));
        assertThat(fiveMinutes
                        .due(due, later, Cadence.MissedPolicy.SKIP, LATE, 3)
                        .next())
                .isEqualTo(Instant.parse("2026-01-01T00:55:00Z"));
        assertThat(minutely.due(now.plusSeconds(60), now, Cadence.MissedPolicy.ALL, LATE, 3)
                        .ticks())
                .as("nothing due yet")
                .isEmpty();
    }

    private static List<Integer> ticksPerDay(Cadence cadence, ZonedDateTime from, int days) {
        List<Integer> counts = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            Instant start = from.plusDays(d).toInstant();
            counts.add(ticks(cadence, start, from.plusDays(d + 1).toInstant()).size());
        }
        return counts;
    }

    private static List<Instant> ticks(Cadence cadence, Instant from, Instant to) {
        List<Instant> ticks = new ArrayList<>();
        Instant t = cadence.next(from).orElseThrow();
        while (t.isBefore(to)) {
            ticks.add(t);
            t = cadence.next(t).orElseThrow();
        }
        return ticks;
    }
}
