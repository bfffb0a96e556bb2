package dev.steadfast.queue.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactorTest {

    @Test
    void knownSecretsAndSecretLookingEnvironmentValuesAreMasked() {
        Redactor redactor = Redactor.withEnvironment(
                List.of("db-pass-123"),
                Map.of(
                        "AWS_SECRET_ACCESS_KEY",
                        "AKIA-very-secret",
                        "SSH_CLIENT",
                        "203.0.113.7 5000 22",
                        "GITHUB_TOKEN",
                        "ghp_abcdef",
                        "HOME",
                        "/root",
                        "LANG",
                        "C.UTF-8"));
        String text =
                "login db-pass-123 failed, key AKIA-very-secret, from 203.0.113.7 5000 22, token ghp_abcdef, home /root";
        assertThat(redactor.redact(text)).isEqualTo("login *** failed, key ***, from ***, token ***, home /root");
    }

    /** Each case the security review found, and the ones that were already covered: input, then what may be shown. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            jdbc:mysql://app:s3cr3t@db:3306/shop                          | jdbc:mysql://app:***@db:3306/shop
            jdbc:mysql://app:p@ss/w@rd@db:3306/shop                       | jdbc:mysql://app:***@db:3306/shop
            `see https://u:a:b/c@d@hooks.example/x now`                   | `see https://u:***@hooks.example/x now`
            jdbc:mariadb://db/shop?user=app&password=s3cr3t&ssl=true      | jdbc:mariadb://db/shop?user=app&password=***&ssl=true
            jdbc:mariadb://db/shop?trustStorePassword=tsp1&keyStorePassword=ksp2 | jdbc:mariadb://db/shop?trustStorePassword=***&keyStorePassword=***
            `cannot reach jdbc:mysql://db/x?trustStorePassword=abc1: refused`    | `cannot reach jdbc:mysql://db/x?trustStorePassword=*** refused`
            https://oapi.dingtalk.com/robot/send?access_token=abc123&sign=xyz9 | https://oapi.dingtalk.com/robot/send?access_token=***&sign=***
            https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wecom-key-1 | https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***
            `{"password": "hunter2"}`                                     | `{"password": "***"}`
            `{"client_secret":"cs-99"}`                                   | `{"client_secret":"***"}`
            client_secret=cs-99&grant_type=x                              | client_secret=***&grant_type=x
            `db_password=dbp-1 host=db`                                   | `db_password=*** host=db`
            `API_KEY: k-123`                                              | `API_KEY: ***`
            `Authorization: Bearer eyJhbGciOi.x.y`                        | `Authorization: Bearer ***`
            `Authorization: Basic dXNlcjpwYXNz`                           | `Authorization: Basic ***`
            `proxy-authorization: Digest abc`                             | `proxy-authorization: Digest ***`
            `curl -H "authorization: token ghp_1234"`                     | `curl -H "authorization: token ***"`
            `job 42 (unique key: welcome-42) failed`                      | `job 42 (unique key: welcome-42) failed`
            `PWD=/work/trial OLDPWD=/tmp`                                 | `PWD=/work/trial OLDPWD=/tmp`
            `cat: /srv/app/credentials: Permission denied`                | `cat: /srv/app/credentials: Permission denied`
            `https://db.example/x?pwd=s3cr3t`                             | `https://db.example/x?pwd=***`
            nothing secret here                                           | nothing secret here
            """)
    void patternsMaskSecrets(String input, String shown) {
        assertThat(Redactor.of(List.of()).redact(input)).isEqualTo(shown);
    }

    @Test
    void secretsOfAJdbcUrlAreRegisteredSoThatMangledEchoesAreMaskedToo() {
        assertThat(Redactor.urlSecrets("jdbc:mysql://app:p%40ss@db:3306/shop?trustStorePassword=ts-pw&x=1"))
                .contains("p%40ss", "p@ss", "ts-pw");
        Redactor.registerUrlSecrets("jdbc:mariadb://db:3306/shop?password=echo-me-not");
        // MariaDB Connector/J's own message for a URL it cannot parse repeats the text after the host
        assertThat(Redactor.process().redact("Incorrect port value : 3306/shop?password=echo-me-not\"x"))
                .doesNotContain("echo-me-not");
        assertThat(Redactor.process().redact("value echo-me-not")).isEqualTo("value ***");
    }

    @Test
    void connectorJSpellingsOfAPasswordAreFoundAndMasked() {
        for (String url : List.of(
                "jdbc:mysql://db:3306/shop?user=app&password1=mfa-one-11",
                "jdbc:mysql://address=(host=db)(port=3306)(user=app)(password=mfa-one-11)/shop",
                "jdbc:mysql://(host=db,port=3306,user=app,password=mfa-one-11)/shop",
                "jdbc:mysql://(host=db, password = mfa-one-11 ,port=3306)/shop")) {
            assertThat(Redactor.urlSecrets(url)).as(url).contains("mfa-one-11");
            assertThat(Redactor.of(List.of()).redact("cannot open " + url))
                    .as(url)
                    .doesNotContain("mfa-one-11");
        }
        assertThat(Redactor.urlSecrets("jdbc:mysql://address=(host=db)(port=3306)(user=app)/shop?sslMode=DISABLED"))
                .isEmpty();
    }

    @Test
    void stackTracesAreRedactedInMessagesAndCauses() {
        Redactor redactor = Redactor.of(List.of("cause-secret"));
        Exception e = new IllegalStateException(
                "failed with password=top1", new SQLException("wrapped cause-secret at jdbc:mysql://a:b@c/d"));
        String trace = redactor.stackTrace(e);
        assertThat(trace)
                .contains("IllegalStateException", "Caused by", "RedactorTest")
                .doesNotContain("top1")
                .doesNotContain("cause-secret")
                .doesNotContain("a:b@");
    }

    /** A guard against backtracking blow-ups (200 KB once took 46 s), not a speed claim: linear work ends far sooner. */
    @Test
    @Timeout(30)
    void hugeTextsAreRedactedWithoutBacktrackingBlowUps() {
        Redactor redactor = Redactor.of(List.of("registered-secret"));
        for (String unit : new String[] {"x", "a.", "a_", "ab:", "a://", "password", "https://u:"}) {
            String huge = unit.repeat(2_000_000 / unit.length());
            assertThat(redactor.redact(huge + " password=tail-secret"))
                    .endsWith("password=***")
                    .hasSizeGreaterThan(1_000_000);
        }
    }

    @Test
    void safeUrlKeepsOnlyTheHostOfAWebhook() {
        assertThat(Redactor.safeUrl("https://hooks.slack.com/services/T000/B000/XXXX"))
                .isEqualTo("https://hooks.slack.com/***");
        assertThat(Redactor.safeUrl("jdbc:mysql://app:pw@db:3306/shop")).isEqualTo("jdbc:mysql://app:***@db:3306/shop");
    }

    @Test
    void shortValuesAreNotTreatedAsSecrets() {
        // masking "1" or "no" everywhere would destroy every message
        Redactor redactor = Redactor.withEnvironment(List.of("ab"), Map.of("SOME_KEY", "1"));
        assertThat(redactor.redact("job 1 failed: no ab")).isEqualTo("job 1 failed: no ab");
    }
}
