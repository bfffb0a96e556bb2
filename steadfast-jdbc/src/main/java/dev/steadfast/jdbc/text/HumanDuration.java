package dev.steadfast.jdbc.text;

import java.time.Duration;
import java.util.Locale;

/** A duration as a person reads it in a message: {@code 250 ms}, {@code 5 s}, {@code 1.5 s}, {@code 2 min 30 s}, {@code 3 days}. */
public final class HumanDuration {
    private HumanDuration() {}

    public static String of(Duration d) {
        if (d == null) {
            return "none";
        }
        if (d.isNegative()) {
            return "-" + of(d.negated());
        }
        long ms = d.toMillis();
        if (ms < 1_000) {
            return ms == 0 && !d.isZero() ? d.toNanos() / 1_000 + " µs" : ms + " ms";
        }
        if (ms < 60_000) {
            return ms % 1_000 == 0 ? ms / 1_000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1_000.0);
        }
        long s = d.toSeconds();
        if (s < 3_600) {
            return s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
        }
        if (s < 86_400) {
            return s / 3_600 + " h" + (s % 3_600 / 60 == 0 ? "" : " " + s % 3_600 / 60 + " min");
        }
        long days = s / 86_400;
        long hours = s % 86_400 / 3_600;
        return days + (days == 1 ? " day" : " days") + (hours == 0 ? "" : " " + hours + " h");
    }
}
