package dev.steadfast.cli;

import dev.steadfast.queue.RateLimit;
import dev.steadfast.web.RateText;
import java.util.Map;
import picocli.CommandLine;

/** Reads a rate limit written {@code N/DURATION} ({@link RateText}: {@code 10/1s}, {@code 100/5m}, {@code 10/s}) for picocli. */
public final class RateConverter implements CommandLine.ITypeConverter<RateLimit> {

    @Override
    public RateLimit convert(String value) {
        return parse(value);
    }

    /** {@link RateText#parse}, its mistakes reported as picocli's conversion errors. */
    public static RateLimit parse(String value) {
        try {
            return RateText.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /** The limit as it is written: {@code 10/1s}. */
    public static String format(RateLimit limit) {
        return RateText.format(limit);
    }

    /** The limit in JSON output: {@code {"jobs": 10, "per": "1s", "per_ms": 1000}}. */
    public static Map<String, Object> json(RateLimit limit) {
        return RateText.json(limit);
    }
}
