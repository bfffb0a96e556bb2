package dev.steadfast.queue.text;

/**
 * Makes text safe to write into a log line or onto a terminal: control characters are replaced by a visible escape
 * ({@code \n}, {@code \r}, {@code \t}, <code>&#92;u001b</code>), so that a job's error message cannot forge log lines or send
 * escape sequences (colours, window titles, cursor moves) to whoever reads it. Escaped are C0 and C1 controls, DEL,
 * the Unicode line and paragraph separators and the bidirectional overrides and isolates (which reorder what a
 * terminal shows). Backslashes are left alone: the escapes are for people, not to be decoded.
 *
 * <p>The command's logs and printers, the notifications, metric labels and the messages about refused names use it.
 */
public final class ControlCharacters {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private ControlCharacters() {}

    /** Whether {@code c} is escaped by {@link #oneLine(String)}. */
    public static boolean isEscaped(char c) {
        return c < 0x20
                || (c >= 0x7f && c <= 0x9f)
                || c == '\u2028'
                || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069');
    }

    /** The text on one line: every control character escaped, line breaks and tabs included (null stays null). */
    public static String oneLine(String text) {
        return escape(text, false);
    }

    /**
     * The text with its line structure: line feeds and tabs kept, a carriage return before a line feed dropped, every
     * other control character (a lone carriage return, ESC...) escaped (null stays null).
     */
    public static String keepLines(String text) {
        return escape(text, true);
    }

    private static String escape(String text, boolean keepLines) {
        if (text == null) {
            return null;
        }
        int first = firstEscaped(text, keepLines);
        if (first < 0) {
            return text; // the usual case: no copy
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isEscaped(c) || (keepLines && (c == '\n' || c == '\t'))) {
                out.append(c);
            } else if (keepLines && c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                continue; // CRLF: the line break stays, the carriage return would show as \r on every line
            } else {
                switch (c) {
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default ->
                        out.append("\\u")
                                .append(HEX[c >> 12 & 0xf])
                                .append(HEX[c >> 8 & 0xf])
                                .append(HEX[c >> 4 & 0xf])
                                .append(HEX[c & 0xf]);
                }
            }
        }
        return out.toString();
    }

    private static int firstEscaped(String text, boolean keepLines) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isEscaped(c) && !(keepLines && (c == '\n' || c == '\t'))) {
                return i;
            }
        }
        return -1;
    }
}
