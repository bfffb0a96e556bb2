package dev.steadfast.spring;

import dev.steadfast.queue.JobHandler;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a recurring schedule for the {@link JobHandler} bean it annotates: its job type, with an empty payload,
 * ticked by every worker and enqueued exactly once per tick. Give either {@link #cron} or {@link #every}.
 *
 * <pre>{@code
 * @Component
 * @Recurring(cron = "0 3 * * *", zone = "Europe/Berlin")
 * class NightlyReport implements JobHandler<Map<String, Object>> { ... }
 * }</pre>
 *
 * For a payload or options of its own, declare a {@code dev.steadfast.queue.Schedule} bean instead.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Recurring {
    /** The schedule's name (unique in the database); the handler's job type when empty. */
    String name() default "";

    /** A cron expression of 5 or 6 fields ({@code 0 3 * * *}); empty when {@link #every} is given. */
    String cron() default "";

    /** The time zone of {@link #cron} (daylight saving handled). */
    String zone() default "UTC";

    /** A fixed interval in Spring Boot's duration format ({@code 30s}, {@code 5m}, {@code PT1H}); empty with {@link #cron}. */
    String every() default "";

    /** The queue its jobs go to. */
    String queue() default "default";

    /** What to do with ticks missed while no worker ran: {@code skip}, {@code once} or {@code all}. */
    String missed() default "skip";
}
