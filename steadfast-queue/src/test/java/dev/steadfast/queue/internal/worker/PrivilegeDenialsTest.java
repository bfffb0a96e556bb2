package dev.steadfast.queue.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class PrivilegeDenialsTest {
    private static final SQLException DENIED = new SQLSyntaxErrorException(
            "(conn=1182) UPDATE command denied to user 'ro'@'localhost' for table `app`.`sf_job`", "42000", 1142);

    @Test
    void aMissingPrivilegeIsOneLineAMinuteWithTheGrantAndHowManyWereLeftUnsaid() {
        Logger logger = (Logger) LoggerFactory.getLogger("privilege-denials-test");
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        AtomicLong now = new AtomicLong(1_000);
        PrivilegeDenials denials = new PrivilegeDenials(logger, now::get);

        assertThat(denials.handled("claiming jobs", new RuntimeException("wrapped", DENIED)))
                .isTrue();
        for (int i = 0; i < 30; i++) { // a poll every 2 s
            now.addAndGet(TimeUnit.SECONDS.toNanos(2));
            assertThat(denials.handled("claiming jobs", DENIED)).isTrue();
        }
        now.addAndGet(TimeUnit.SECONDS.toNanos(2));
        assertThat(denials.handled("claiming jobs", DENIED)).isTrue();

        assertThat(log.list).hasSize(2);
        assertThat(log.list.get(0).getFormattedMessage())
                .isEqualTo("claiming jobs failed: the database user may not do it"
                        + " (UPDATE command denied for table `app`.`sf_job`); a worker needs GRANT SELECT, INSERT, UPDATE, DELETE"
                        + " ON `app`.* TO 'ro'@'localhost'");
        assertThat(log.list.get(1).getFormattedMessage()).contains("; 29 more such failures in the last minute");
        assertThat(log.list).allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
    }

    @Test
    void otherFailuresAreLeftToTheCaller() {
        PrivilegeDenials denials = new PrivilegeDenials((Logger) LoggerFactory.getLogger("privilege-denials-test"));
        assertThat(denials.handled("claiming jobs", new SQLException("Deadlock found", "40001", 1213)))
                .isFalse();
        assertThat(denials.handled("claiming jobs", new IllegalStateException("no")))
                .isFalse();
    }
}
