package dev.steadfast.queue.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ControlCharactersTest {
    private static final String FORGED = "declined\n2026-12-07T17:00:00.000Z INFO  jobs - job 999 succeeded";

    @Test
    void oneLineEscapesEveryControlCharacterVisibly() {
        assertThat(ControlCharacters.oneLine(FORGED))
                .isEqualTo("declined\\n2026-12-07T17:00:00.000Z INFO  jobs - job 999 succeeded")
                .doesNotContain("\n");
        assertThat(ControlCharacters.oneLine("a\r\nb\tc\u0000d")).isEqualTo("a\\r\\nb\\tc\\u0000d");
        assertThat(ControlCharacters.oneLine("\u001b[31mred\u001b[0m \u001b]0;owned\u0007"))
                .isEqualTo("\\u001b[31mred\\u001b[0m \\u001b]0;owned\\u0007");
        assertThat(ControlCharacters.oneLine("c1 \u009b31m del \u007f nel \u0085"))
                .isEqualTo("c1 \\u009b31m del \\u007f nel \\u0085");
        assertThat(ControlCharacters.oneLine("ls\u2028ps\u2029rlo\u202eisolate\u2066"))
                .isEqualTo("ls\\u2028ps\\u2029rlo\\u202eisolate\\u2066");
    }

    @Test
    void plainTextIsLeftAsItIsWithoutACopy() {
        String text = "card declined: été, 日本, C:\\path\\file, \\n stays two characters";
        assertThat(ControlCharacters.oneLine(text)).isSameAs(text);
        assertThat(ControlCharacters.keepLines(text)).isSameAs(text);
        assertThat(ControlCharacters.oneLine(null)).isNull();
        assertThat(ControlCharacters.keepLines(null)).isNull();
    }

    @Test
    void keepLinesKeepsLineBreaksAndTabsAndEscapesTheRest() {
        assertThat(ControlCharacters.keepLines("first\n\tat x\r\nthird\rover\u001b[2K"))
                .isEqualTo("first\n\tat x\nthird\\rover\\u001b[2K");
        assertThat(ControlCharacters.keepLines("trailing\r")).isEqualTo("trailing\\r");
    }
}
