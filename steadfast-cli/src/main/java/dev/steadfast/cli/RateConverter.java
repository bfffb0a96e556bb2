package dev.steadfast.cli;

import dev.steadfast.queue.RateLimit;
import picocli.CommandLine;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a rate limit written {@code N/DURATION} ({@code 10/1s}, {@code 100/5m}; a bare unit means one: {@code 10/s}). */
public final class RateConverter implements CommandLine.ITypeConverter<RateLimit> {
    private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})\\s*/\\s*(\\S+)");
    private static final String EXAMPLES = " (N/DURATION: 10/1s, 100/5m, 5/500ms, 1000/h)";

    @Override
    public RateLimit convert(String value) {
        return parse(value);
    }

    public static RateLimit parse(String value) {
        Matcher m = FORMAT.matcher(value.trim());
        if (!m.matches()) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a rate" + EXAMPLES);
        }
        String span = m.group(2);
        try {
            return RateLimit.of(Integer.parseInt(m.group(1)), DurationConverter.parse(span.matches("ms|s|m|h|d") ? "1" + span : span));
        } catch (CommandLine.TypeConversionException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a rate: '" + span + "' is not a duration" + EXAMPLES);
        } catch (IllegalArgumentException e) { // numbers out of range
            throw new CommandLine.TypeConversionException("'" + value + "': " + e.getMessage() + EXAMPLES);
        }
    }

    /** The limit as it is written: {@code 10/1s}. */
    public static String format(RateLimit limit) {
        return limit.jobs() + "/" + DurationConverter.format(limit.per());
    }

    /** The limit in JSON output: {@code {"jobs": 10, "per": "1s", "per_ms": 1000}}. */
    public static Map<String, Object> json(RateLimit limit) {
        if (limit == null) {
            return null;
        }
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("jobs", limit.jobs());
        m.put("per", DurationConverter.format(limit.per()));
        m.put("per_ms", limit.per().toMillis());
        return m;
    }
}
