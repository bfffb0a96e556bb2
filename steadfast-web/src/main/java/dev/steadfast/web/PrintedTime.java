package dev.steadfast.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** A moment in the command's output: {@code 2026-06-02 01:00:00 UTC}, not Java's {@code 2026-06-02T01:00:00Z}. */
public final class PrintedTime {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private PrintedTime() {}

    /** A time zone by the name people use: {@code UTC} for Java's {@code Z}; null stays null. */
    public static String zone(String id) {
        return id == null ? null : id.equals("Z") || id.equals("+00:00") ? "UTC" : id;
    }

    /** The moment to the second, in UTC, or {@code -} for none. */
    public static String of(Instant instant) {
        return instant == null ? "-" : FORMAT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}
