package dev.steadfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/configuration.md is what the command defines, option for option. */
class ConfigurationReferenceTest {
    @Test
    void theCheckedInReferenceIsCurrent() throws Exception {
        Path reference = Path.of("..", "docs", "configuration.md");
        String generated = ConfigurationReference.markdown();
        assertThat(generated)
                .contains("## `steadfast work`")
                .contains("`STEADFAST_MAX_ATTEMPTS`")
                .contains("## `steadfast jobs purge`");
        assertThat(Files.readString(reference))
                .as("docs/configuration.md is stale: java -cp steadfast-cli/target/steadfast.jar"
                        + " dev.steadfast.cli.ConfigurationReference > docs/configuration.md")
                .isEqualTo(generated);
    }
}
