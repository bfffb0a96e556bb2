package dev.steadfast.web.internal;

import dev.steadfast.queue.JobStatus;
import dev.steadfast.queue.QueueCounts;
import dev.steadfast.queue.text.Redactor;
import dev.steadfast.web.PrintedTime;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;

/**
 * Escaping for everything that comes from the database or the request: a payload of {@code <script>} is
 * text. Whatever is escaped is redacted first, so a secret in an error, a stack trace or a payload is
 * masked on every page as it is in the logs.
 */
final class Html {
    private Html() {}

    static String esc(Object value) {
        if (value == null) {
            return "";
        }
        String s = Redactor.process().redact(value.toString());
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }

    /** The time as the command prints it ({@code 2026-12-07 21:26:26 UTC}, {@link PrintedTime}); empty for none. */
    static String time(Instant instant) {
        return instant == null ? "" : PrintedTime.of(instant);
    }

    /**
     * A {@code <time>} element: the UTC time as text, the instant in {@code datetime}; the dashboard's script
     * shows it relative to now ("3 min ago"), with the exact time as a tooltip.
     */
    static HtmlWriter.Fragment timeElement(Instant instant) {
        if (instant == null) {
            return new HtmlWriter().fragment();
        }
        return new HtmlWriter()
                .element("time", time(instant), "datetime", instant.toString())
                .fragment();
    }

    /** A count with thousands separators: 1,204,330. */
    static String num(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A count of jobs in this status, marked {@code ~} when it is an estimate. */
    static String count(QueueCounts counts, JobStatus status) {
        return (counts.isEstimate(status) ? "~" : "") + num(counts.of(status));
    }

    /** A query-string value. */
    static String url(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }
}
