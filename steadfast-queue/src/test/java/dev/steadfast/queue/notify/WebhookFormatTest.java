package dev.steadfast.queue.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WebhookFormatTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private final Notification n = new Notification(
            Notification.Kind.JOB_FAILED,
            "k",
            "job failed for good: email",
            "job 7 failed",
            3,
            Instant.parse("2026-11-25T01:02:03Z"));

    private JsonNode body(WebhookFormat format) throws Exception {
        return mapper.readTree(format.body(n, mapper));
    }

    @Test
    void eachRobotGetsItsOwnMessageShape() throws Exception {
        assertThat(body(WebhookFormat.SLACK).path("text").asText())
                .isEqualTo("[steadfast] job failed for good: email (x3)\njob 7 failed");
        assertThat(body(WebhookFormat.DINGTALK).path("msgtype").asText()).isEqualTo("text");
        assertThat(body(WebhookFormat.DINGTALK).path("text").path("content").asText())
                .startsWith("[steadfast] job failed");
        assertThat(body(WebhookFormat.WECOM).path("text").path("content").asText())
                .contains("job 7 failed");
        assertThat(body(WebhookFormat.FEISHU).path("msg_type").asText()).isEqualTo("text");
        assertThat(body(WebhookFormat.FEISHU).path("content").path("text").asText())
                .contains("(x3)");
        JsonNode generic = body(WebhookFormat.GENERIC);
        assertThat(generic.path("event").asText()).isEqualTo("job_failed");
        assertThat(generic.path("count").asInt()).isEqualTo(3);
        assertThat(generic.path("at").asText()).isEqualTo("2026-11-25T01:02:03Z");
    }

    @Test
    void slackControlCharactersAreEscaped() throws Exception {
        Notification html = new Notification(
                Notification.Kind.JOB_FAILED,
                "k",
                "job failed for good: <b>",
                "error <!channel> & <https://evil.example|click here>",
                1,
                Instant.parse("2026-11-25T01:02:03Z"));
        String text = mapper.readTree(WebhookFormat.SLACK.body(html, mapper))
                .path("text")
                .asText();
        assertThat(text)
                .doesNotContain("<")
                .doesNotContain(">")
                .contains("&lt;!channel&gt; &amp; &lt;https://evil.example|click here&gt;")
                .contains("&lt;b&gt;");
    }

    @Test
    void unknownFormatsAreNamed() {
        assertThat(WebhookFormat.parse(" DingTalk ")).isEqualTo(WebhookFormat.DINGTALK);
        assertThatThrownBy(() -> WebhookFormat.parse("teams"))
                .hasMessageContaining("generic, slack, dingtalk, wecom or feishu");
    }
}
