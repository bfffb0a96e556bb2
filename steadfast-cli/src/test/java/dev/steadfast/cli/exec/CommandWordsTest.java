package dev.steadfast.cli.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Words as a shell splits them, with nothing expanded or interpreted. */
class CommandWordsTest {

    @Test
    void blanksQuotesAndBackslashes() {
        assertThat(CommandWords.split("php  /srv/jobs/send.php --to 'a b'"))
                .containsExactly("php", "/srv/jobs/send.php", "--to", "a b");
        assertThat(CommandWords.split("echo \"say \\\"hi\\\" to \\$USER\" x\\ y"))
                .containsExactly("echo", "say \"hi\" to $USER", "x y");
        assertThat(CommandWords.split("a'b'\"c\"d")).containsExactly("abcd");
        assertThat(CommandWords.split("printf ''")).containsExactly("printf", "");
        assertThat(CommandWords.split("\"C:\\\\dir\"")).containsExactly("C:\\dir");
    }

    @Test
    void nothingIsExpandedOrInterpreted() {
        assertThat(CommandWords.split("rm -rf $HOME/* ~; echo pwned > /tmp/x | cat"))
                .containsExactly("rm", "-rf", "$HOME/*", "~;", "echo", "pwned", ">", "/tmp/x", "|", "cat");
        assertThat(CommandWords.split("echo 'it''s'")).containsExactly("echo", "its");
    }

    @Test
    void malformedCommandsAreRefused() {
        assertThatThrownBy(() -> CommandWords.split("echo 'open")).hasMessageContaining("unclosed single quote");
        assertThatThrownBy(() -> CommandWords.split("echo \"open")).hasMessageContaining("unclosed double quote");
        assertThatThrownBy(() -> CommandWords.split("echo \\")).hasMessageContaining("backslash");
        assertThatThrownBy(() -> CommandWords.split("   ")).hasMessageContaining("no command");
    }
}
