package dev.steadfast.queue.internal.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The ticks of a schedule: a cron expression in a time zone (cron-utils), or a fixed interval. */
public abstract sealed class Cadence permits Cadence.Cron, Cadence.Every {
    // 5 fields: Unix cron; 6 fields: seconds first, as Spring writes them
    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final CronParser WITH_SECONDS =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING));

    /** The macros of Vixie cron, as crontab(5) defines them ({@code @reboot} has no meaning for a schedule). */
    private static final Map<String, String> MACROS = Map.of(
            "@yearly",
            "0 0 1 1 *",
            "@annually",
            "0 0 1 1 *",
            "@monthly",
            "0 0 1 * *",
            "@weekly",
            "0 0 * * 0",
            "@daily",
            "0 0 * * *",
            "@midnight",
            "0 0 * * *",
            "@hourly",
            "0 * * * *");

    /**
     * A cron expression of 5 fields, or 6 with seconds first, or a macro ({@code @hourly}, {@code @daily},
     * {@code @weekly}, {@code @monthly}, {@code @yearly}, {@code @annually}, {@code @midnight});
     * IllegalArgumentException saying what is wrong.
     */
    public static Cadence cron(String expression, ZoneId zone) {
        String trimmed = expression == null ? "" : expression.trim();
        if (trimmed.startsWith("@")) {
            String macro = MACROS.get(trimmed.toLowerCase(Locale.ROOT));
            if (macro == null) {
                throw new IllegalArgumentException(
                        "unknown cron macro '" + expression + "': use @hourly, @daily, @weekly, @monthly,"
                                + " @yearly (or @annually, @midnight) or 5 fields (minute hour day month weekday)");
            }
            trimmed = macro;
        }
        int fields = trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
        if (fields != 5 && fields != 6) {
            throw new IllegalArgumentException(
                    "a cron expression has 5 fields (minute hour day month weekday), or 6 with" + " seconds first; '"
                            + expression + "' has " + fields);
        }
        try {
            return new Cron(
                    ExecutionTime.forCron(
                            (fields == 5 ? UNIX : WITH_SECONDS).parse(trimmed).validate()),
                    zone);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad cron expression '" + expression + "': " + e.getMessage(), e);
        }
    }

    /** Every {@code interval}. */
    public static Cadence every(Duration interval) {
        return new Every(interval);
    }

    /** The first tick strictly after {@code after}; empty when there is none (a date that never comes). */
    public abstract Optional<Instant> next(Instant after);

    /**
     * What is due at {@code now} for a schedule whose earliest unenqueued tick is {@code due}: the ticks to enqueue
     * (oldest first) and the next tick after {@code now}. A tick more than {@code late} old was missed: the policy
     * decides (skip: none; once: only the most recent; all: up to {@code bound}, the most recent).
     */
    public Due due(Instant due, Instant now, MissedPolicy policy, Duration late, int bound) {
        List<Instant> onTime = new ArrayList<>();
        List<Instant> missed = new ArrayList<>();
        long missedCount = 0;
        Instant tick = due;
        int walked = 0;
        while (tick != null && !tick.isAfter(now)) {
            boolean isLate = Duration.between(tick, now).compareTo(late) > 0;
            (isLate ? missed : onTime).add(tick);
            missedCount += isLate ? 1 : 0;
            if (missed.size() > bound) {
                missed.remove(0); // keep the most recent ones only
            }
            tick = next(tick).orElse(null);
            if (++walked > 1_000_000) {
                // a schedule far behind (a per-second cron after a month off): jump to now rather than walk it all
                tick = next(now).orElse(null);
                break;
            }
        }
        List<Instant> enqueue = new ArrayList<>();
        switch (policy) {
            case ALL -> enqueue.addAll(missed.subList(Math.max(0, missed.size() - bound), missed.size()));
            case ONCE -> {
                if (!missed.isEmpty() && onTime.isEmpty()) {
                    enqueue.add(missed.get(missed.size() - 1));
                }
            }
            case SKIP -> {}
        }
        long missedEnqueued = enqueue.size();
        enqueue.addAll(onTime);
        return new Due(enqueue, tick, missedCount - missedEnqueued);
    }

    /** What the schedule's policy for missed ticks is, in the terms this class needs. */
    public enum MissedPolicy {
        SKIP,
        ONCE,
        ALL
    }

    /**
     * @param ticks   the ticks to enqueue a job for, oldest first (possibly none)
     * @param next    the next tick after now; null when the schedule has no more
     * @param dropped missed ticks the policy does not enqueue
     */
    public record Due(List<Instant> ticks, Instant next, long dropped) {}

    static final class Cron extends Cadence {
        private final ExecutionTime times;
        private final ZoneId zone;

        Cron(ExecutionTime times, ZoneId zone) {
            this.times = times;
            this.zone = zone;
        }

        /**
         * cron-utils skips a tick whose local time falls into a daylight saving gap (02:30 on the night clocks jump
         * from 02:00 to 03:00): such a tick runs at the same offset as before the jump instead (03:30), as cron does,
         * so a daily job does not lose a day. A local time that happens twice (the night clocks go back) ticks once.
         */
        @Override
        public Optional<Instant> next(Instant after) {
            Optional<Instant> zoned =
                    times.nextExecution(ZonedDateTime.ofInstant(after, zone)).map(ZonedDateTime::toInstant);
            ZoneOffset offset = zone.getRules().getOffset(after);
            Optional<Instant> fixed =
                    times.nextExecution(ZonedDateTime.ofInstant(after, offset)).map(ZonedDateTime::toInstant);
            if (fixed.isPresent()
                    && (zoned.isEmpty() || fixed.get().isBefore(zoned.get()))
                    && zone.getRules()
                            .getValidOffsets(LocalDateTime.ofInstant(fixed.get(), offset))
                            .isEmpty()) {
                return fixed;
            }
            return zoned;
        }
    }

    static final class Every extends Cadence {
        private final Duration interval;

        Every(Duration interval) {
            this.interval = interval;
        }

        @Override
        public Optional<Instant> next(Instant after) {
            return Optional.of(after.plus(interval));
        }
    }
}
