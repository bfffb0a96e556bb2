package dev.steadfast.web;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as operators write them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}; a bare number is
 * seconds. One reading for the command's options (its picocli converter wraps this) and the HTTP API's fields.
 */
public final class DurationText {
    private static final Pattern FORMAT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

    private DurationText() {}

    /**
     * The duration {@code value} states.
     *
     * @throws NotADuration with a message for the user when it states none
     */
    public static Duration parse(String value) {
        Matcher m = FORMAT.matcher(value.trim());
        if (!m.matches()) {
            throw new NotADuration("'" + value + "' is not a duration (examples: 500ms, 30s, 5m, 1h, 2d)", null);
        }
        String unit = m.group(2) == null ? "s" : m.group(2);
        try {
            long amount = Long.parseLong(m.group(1));
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> Duration.ofSeconds(amount);
            };
        } catch (ArithmeticException | NumberFormatException e) {
            throw new NotADuration("'" + value + "' is too long a duration", e);
        }
    }

    /** Text that states no duration (or one too long to hold); its message is for the user. */
    public static final class NotADuration extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        NotADuration(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The duration in the largest unit that states it exactly: 7d, 12h, 30m, 45s, 500ms. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (ms != 0 && ms % sizes[i] == 0) {
                return ms / sizes[i] + units[i];
            }
        }
        return ms + "ms";
    }
}
