package dev.steadfast.cli.logging;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.steadfast.queue.text.ControlCharacters;
import java.util.Locale;

/**
 * JSON escapes for text that may be read on a terminal: besides what JSON requires (the C0 controls, {@code "} and
 * {@code \}), DEL, the C1 controls, the Unicode line separators and the bidirectional overrides are written as
 * {@code \}{@code uXXXX}. The JSON means the same text; only a raw escape sequence can no longer reach whoever reads
 * the output or the log.
 */
public final class JsonEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] ascii;

    public JsonEscapes() {
        ascii = standardAsciiEscapesForJSON();
        ascii[0x7f] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
        return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
        // upper case hex, as Jackson writes its own escapes
        return ch <= 0xffff && ControlCharacters.isEscaped((char) ch)
                ? new SerializedString(String.format(Locale.ROOT, "\\u%04X", ch))
                : null;
    }
}
