package dev.steadfast.queue.notify;

import java.time.Instant;

/**
 * One message to operators.
 *
 * @param kind  what happened
 * @param key   identical events share a key and are aggregated into one message
 * @param title one line
 * @param text  the details, already redacted
 * @param count how many events this message stands for (more than 1 when aggregated)
 * @param at    when the last of them happened
 */
public record Notification(Kind kind, String key, String title, String text, int count, Instant at) {

    /** The events operators are told about. */
    public enum Kind {
        JOB_FAILED,
        DATABASE_DOWN,
        DATABASE_RECOVERED,
        NOTIFICATIONS_SUPPRESSED
    }

    /** The same message standing for {@code n} events, the last at {@code last}. */
    public Notification times(int n, Instant last) {
        return new Notification(kind, key, title, text, n, last);
    }

    /** The title with the count, as shown in chat messages. */
    public String headline() {
        return count > 1 ? title + " (x" + count + ")" : title;
    }
}
