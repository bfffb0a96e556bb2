package dev.steadfast.spring;

import dev.steadfast.queue.JobHandler;
import dev.steadfast.queue.JobRequest;
import dev.steadfast.queue.MissedTicks;
import dev.steadfast.queue.Schedule;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Optional;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.annotation.AnnotationUtils;

/** Reads {@link Recurring} off a handler bean (through proxies) into a {@link Schedule}. */
final class RecurringSchedules {
    private RecurringSchedules() {}

    static Optional<Schedule> of(JobHandler<?> handler) {
        Recurring recurring = AnnotationUtils.findAnnotation(AopUtils.getTargetClass(handler), Recurring.class);
        if (recurring == null) {
            return Optional.empty();
        }
        String where = "@Recurring on " + AopUtils.getTargetClass(handler).getName() + ": ";
        if (recurring.cron().isEmpty() == recurring.every().isEmpty()) {
            throw new IllegalStateException(where + "give either cron or every");
        }
        String name = recurring.name().isEmpty() ? handler.type() : recurring.name();
        JobRequest job = JobRequest.of(handler.type()).queue(recurring.queue()).build();
        try {
            Schedule schedule = recurring.cron().isEmpty()
                    ? Schedule.every(name, DurationStyle.detectAndParse(recurring.every()), job)
                    : Schedule.cron(name, recurring.cron(), ZoneId.of(recurring.zone()), job);
            return Optional.of(schedule.missed(MissedTicks.of(recurring.missed())));
        } catch (IllegalArgumentException | DateTimeException e) {
            throw new IllegalStateException(where + e.getMessage(), e);
        }
    }
}
