package dev.steadfast.jdbc.internal.text;

import dev.steadfast.jdbc.text.HumanDuration;
import java.sql.SQLException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A database failure as a short cause in a log line: the server's or the pool's words, the error code, never a Java
 * class name or the pool's own prefixes ({@code HikariPool-1 - }, {@code (conn=42)}), durations as people write them.
 */
public final class FailureText {
    private static final int LONGEST = 160;
    private static final Pattern RAW_MS = Pattern.compile("(\\d+) ?ms\\b");

    private FailureText() {}

    public static String of(SQLException e) {
        if (e == null) {
            return "none";
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        message = message.replaceAll("\\b(?:[a-z]\\w*\\.)*[A-Z]\\w*(?:Exception|Error): ?", "")
                .replaceAll("HikariPool-\\d+ - ", "")
                .replaceAll("\\(conn=\\d+\\) ", "")
                .replaceAll("\\s+", " ")
                .trim();
        Matcher ms = RAW_MS.matcher(message);
        StringBuilder human = new StringBuilder();
        while (ms.find()) {
            ms.appendReplacement(
                    human, Matcher.quoteReplacement(HumanDuration.of(Duration.ofMillis(Long.parseLong(ms.group(1))))));
        }
        ms.appendTail(human);
        String text = human.length() > LONGEST ? human.substring(0, LONGEST) + "..." : human.toString();
        return e.getErrorCode() != 0 ? text + " (error " + e.getErrorCode() + ")" : text;
    }
}
