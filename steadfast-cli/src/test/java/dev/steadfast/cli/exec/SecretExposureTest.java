package dev.steadfast.cli.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.queue.text.Redactor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The worker's warning about secrets its commands could read, as it is printed: through the redactor. */
class SecretExposureTest {
    @Test
    void theWarningSurvivesTheRedactorWhole() {
        Redactor redactor = Redactor.of(List.of());
        for (List<String> names : List.of(
                List.of("STEADFAST_PASSWORD"),
                List.of("STEADFAST_TOKEN"),
                List.of("STEADFAST_PASSWORD", "STEADFAST_WEBHOOK_URL"),
                List.of("STEADFAST_URL", "STEADFAST_API_KEY"))) {
            String warning = SecretExposure.warning(names);
            assertThat(redactor.redact(warning))
                    .as("printed")
                    .isEqualTo(warning)
                    .contains("(" + String.join(", ", names) + "); give secrets in files instead (--password-file,");
        }
    }

    @Test
    void onlyTheNamesOfSecretsAreReported() {
        assertThat(SecretExposure.secretVariables(Map.of(
                        "STEADFAST_PASSWORD",
                        "pw-123",
                        "STEADFAST_PASSWORD_FILE",
                        "/run/pw",
                        "STEADFAST_HTTP_PORT",
                        "8080")))
                .containsExactly("STEADFAST_PASSWORD");
    }
}
