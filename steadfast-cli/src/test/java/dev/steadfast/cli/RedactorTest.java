package dev.steadfast.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RedactorTest {

    @Test
    void knownSecretsAndSecretLookingEnvironmentValuesAreMasked() {
        Redactor redactor = Redactor.withEnvironment(List.of("db-pass-123"), Map.of(
                "AWS_SECRET_ACCESS_KEY", "AKIA-very-secret", "SSH_CLIENT", "203.0.113.7 5000 22",
                "GITHUB_TOKEN", "ghp_abcdef", "HOME", "/root", "LANG", "C.UTF-8"));
        String text = "login db-pass-123 failed, key AKIA-very-secret, from 203.0.113.7 5000 22, token ghp_abcdef, home /root";
        assertThat(redactor.redact(text))
                .isEqualTo("login *** failed, key ***, from ***, token ***, home /root");
    }

    @Test
    void urlPasswordsAndSecretParametersAreMasked() {
        Redactor redactor = Redactor.of(List.of());
        assertThat(redactor.redact("jdbc:mysql://app:s3cr3t@db:3306/shop")).isEqualTo("jdbc:mysql://app:***@db:3306/shop");
        assertThat(redactor.redact("jdbc:mariadb://db/shop?user=app&password=s3cr3t&ssl=true"))
                .isEqualTo("jdbc:mariadb://db/shop?user=app&password=***&ssl=true");
        assertThat(redactor.redact("https://oapi.dingtalk.com/robot/send?access_token=abc123"))
                .isEqualTo("https://oapi.dingtalk.com/robot/send?access_token=***");
        assertThat(redactor.redact("{\"password\": \"hunter2\"}")).isEqualTo("{\"password\": \"***\"}");
        assertThat(redactor.redact("Authorization: Bearer eyJhbGciOi.x.y")).isEqualTo("Authorization: Bearer ***");
        assertThat(redactor.redact("nothing secret here")).isEqualTo("nothing secret here");
    }

    @Test
    void safeUrlKeepsOnlyTheHostOfAWebhook() {
        assertThat(Redactor.safeUrl("https://hooks.slack.com/services/T000/B000/XXXX")).isEqualTo("https://hooks.slack.com/***");
        assertThat(Redactor.safeUrl("jdbc:mysql://app:pw@db:3306/shop")).isEqualTo("jdbc:mysql://app:***@db:3306/shop");
    }

    @Test
    void shortValuesAreNotTreatedAsSecrets() {
        // masking "1" or "no" everywhere would destroy every message
        Redactor redactor = Redactor.withEnvironment(List.of("ab"), Map.of("SOME_KEY", "1"));
        assertThat(redactor.redact("job 1 failed: no ab")).isEqualTo("job 1 failed: no ab");
    }
}
