package dev.steadfast.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The one rule for queue, type and schedule names, where each enters (no database needed: nothing is written). */
class NameRuleTest {
    @Test
    void namesOfLettersDigitsAndDotUnderscoreDashSlashPass() {
        for (String name : new String[] {
            "default",
            "mail",
            "send_email",
            "orders.created",
            "reports/daily",
            "rt-mariadb",
            "v2",
            "commandes-été",
            "A",
            "x".repeat(64)
        }) {
            assertThat(NameRule.queue(name)).isEqualTo(name);
            assertThat(NameRule.type(name)).isEqualTo(name);
            assertThat(NameRule.schedule(name)).isEqualTo(name);
        }
        assertThat(NameRule.type("t".repeat(128))).hasSize(128);
        assertThat(NameRule.schedule("s".repeat(128))).hasSize(128);
    }

    @Test
    void whitespaceControlsSeparatorsAndOverlongNamesAreRefusedWithTheRule() {
        for (String name : new String[] {
            "",
            " ",
            "a b",
            "a\tb",
            "x\ny",
            "x\u0000y",
            "esc\u001b[31m",
            "c1\u009b",
            "mail:3",
            "mail,default",
            "nbsp\u00a0x",
            "line\u2028sep",
            "rtl\u202eexe",
            "del\u007f",
            "semi;colon",
            "quote'",
            "x".repeat(65)
        }) {
            assertThatThrownBy(() -> NameRule.queue(name))
                    .as(name)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(
                            "a queue name of 1 to 64 characters (letters, digits and . _ - /) is required, got '");
        }
        assertThatThrownBy(() -> NameRule.queue(null)).hasMessageEndingWith("got null");
        assertThatThrownBy(() -> NameRule.type("t".repeat(129)))
                .hasMessageStartingWith("a job type of 1 to 128 characters");
        assertThatThrownBy(() -> NameRule.schedule("s".repeat(129)))
                .hasMessageStartingWith("a schedule name of 1 to 128 characters");
    }

    @Test
    void theRefusedNameIsShownOnOneLineWithItsControlsVisible() {
        assertThatThrownBy(() -> NameRule.type("x\ny"))
                .hasMessage("a job type of 1 to 128 characters (letters, digits and . _ - /) is required, got 'x\\ny'");
        assertThatThrownBy(() -> NameRule.type("x\u0000y\u001b[2J")).hasMessageEndingWith("got 'x\\u0000y\\u001b[2J'");
        assertThatThrownBy(() -> NameRule.queue("q".repeat(10_000))).hasMessageEndingWith("q".repeat(80) + "...'");
    }

    @Test
    void everyJavaEntryChecksTheRule() {
        JobRequest ok = JobRequest.of("report").queue("reports").build();
        assertThatThrownBy(() -> JobRequest.of("x\u0000y").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a job type of 1 to 128 characters");
        assertThatThrownBy(() -> JobRequest.of("report").queue("mail:3").build())
                .hasMessageContaining("a queue name");
        assertThatThrownBy(() -> new JobRequest("a b", null, null, "default", 0, null, null, 1, null))
                .hasMessageContaining("a job type");
        assertThatThrownBy(() -> JobType.of("send email", String.class)).hasMessageContaining("a job type");
        assertThatThrownBy(() -> JobType.of("email", String.class).queue("mail,default"))
                .hasMessageContaining("a queue name");
        assertThatThrownBy(() -> Schedule.every("nightly\nreport", Duration.ofHours(1), ok))
                .hasMessageContaining("a schedule name");
        assertThatThrownBy(() -> Schedule.cron("", "0 3 * * *", ZoneId.of("UTC"), ok))
                .hasMessageContaining("a schedule name");
        assertThat(Schedule.every("nightly-report", Duration.ofHours(1), ok).name())
                .isEqualTo("nightly-report");
    }
}
