package dev.steadfast.web;

import dev.steadfast.queue.RateLimit;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rate limit as it is written, {@code N/DURATION} ({@code 10/1s}, {@code 100/5m}; a bare unit means one:
 * {@code 10/s}): one reading for the command's {@code --rate} (its picocli converter wraps this) and the dashboard's form.
 */
public final class RateText {
    private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})\\s*/\\s*(\\S+)");
    private static final String EXAMPLES = " (N/DURATION: 10/1s, 100/5m, 5/500ms, 1000/h)";

    private RateText() {}

    /**
     * The rate limit {@code value} states.
     *
     * @throws IllegalArgumentException with a message for the user when it states none
     */
    public static RateLimit parse(String value) {
        Matcher m = FORMAT.matcher(value.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a rate" + EXAMPLES);
        }
        String span = m.group(2);
        Duration per;
        try {
            per = DurationText.parse(span.matches("ms|s|m|h|d") ? "1" + span : span);
        } catch (DurationText.NotADuration e) {
            throw new IllegalArgumentException(
                    "'" + value + "' is not a rate: '" + span + "' is not a duration" + EXAMPLES, e);
        }
        try {
            return RateLimit.of(Integer.parseInt(m.group(1)), per);
        } catch (IllegalArgumentException e) { // numbers out of range
            throw new IllegalArgumentException("'" + value + "': " + e.getMessage() + EXAMPLES, e);
        }
    }

    /** The limit as it is written: {@code 10/1s}. */
    public static String format(RateLimit limit) {
        return limit.jobs() + "/" + DurationText.format(limit.per());
    }

    /** The limit in JSON output: {@code {"jobs": 10, "per": "1s", "per_ms": 1000}}; null for none. */
    public static Map<String, Object> json(RateLimit limit) {
        if (limit == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jobs", limit.jobs());
        m.put("per", DurationText.format(limit.per()));
        m.put("per_ms", limit.per().toMillis());
        return m;
    }
}
