package dev.steadfast.queue.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/** The JSON body a webhook receives: a generic document, or the message format of a chat robot. */
public enum WebhookFormat {
    /** {@code {"event", "title", "text", "count", "at"}}. */
    GENERIC,
    /** Slack incoming webhook: {@code {"text"}}. */
    SLACK,
    /** DingTalk robot: {@code {"msgtype":"text","text":{"content"}}}. */
    DINGTALK,
    /** WeCom (WeChat Work) group robot: {@code {"msgtype":"text","text":{"content"}}}. */
    WECOM,
    /** Feishu/Lark custom bot: {@code {"msg_type":"text","content":{"text"}}}. */
    FEISHU;

    public static WebhookFormat parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown webhook format '" + name + "' (use generic, slack, dingtalk, wecom or feishu)");
        }
    }

    String body(Notification n, ObjectMapper mapper) {
        ObjectNode root = mapper.createObjectNode();
        String message = "[steadfast] " + n.headline() + "\n" + n.text();
        switch (this) {
            case GENERIC -> {
                root.put("event", n.kind().name().toLowerCase(Locale.ROOT));
                root.put("title", n.title());
                root.put("text", n.text());
                root.put("count", n.count());
                root.put("at", n.at().toString());
            }
            case SLACK -> root.put("text", slackEscape(message)); // Slack reads <...> as links and mentions
            case DINGTALK, WECOM -> {
                root.put("msgtype", "text");
                root.putObject("text").put("content", message);
            }
            case FEISHU -> {
                root.put("msg_type", "text");
                root.putObject("content").put("text", message);
            }
        }
        return root.toString();
    }

    /** Slack's three control characters, escaped as its message format asks. */
    static String slackEscape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
