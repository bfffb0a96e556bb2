package dev.steadfast.cli;

import dev.steadfast.web.DurationText;
import java.time.Duration;
import picocli.CommandLine;

/** Reads durations as operators write them ({@link DurationText}: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}) for picocli. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /** {@link DurationText#parse}, its mistakes reported as picocli's conversion errors. */
    public static Duration parse(String value) {
        try {
            return DurationText.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /** The duration in the largest unit that states it exactly: 7d, 12h, 30m, 45s, 500ms ({@link DurationText#format}). */
    public static String format(Duration d) {
        return DurationText.format(d);
    }
}
