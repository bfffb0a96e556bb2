package dev.steadfast.web.internal;

import java.util.Locale;
import java.util.Optional;

/**
 * The messages a redirect may ask a page to show, by code: the text is ours, never the URL's, so a link
 * cannot make the dashboard say something it did not.
 */
enum Flash {
    RETRIED("Retried %d job(s)"),
    FORGOTTEN("Forgot %d job(s)"),
    DELETED("Deleted %d job(s)"),
    DUE_NOW("Made %d job(s) due now"),
    CANCELLED("Cancelled %d job(s) (running ones are asked to stop)"),
    PAUSED("Paused the queue: workers start none of its jobs"),
    RESUMED("Resumed the queue"),
    RATE_LIMITED("Set the queue's rate limit: workers follow it within a second"),
    RATE_LIMIT_REMOVED("Took the queue's rate limit away"),
    SCHEDULE_PAUSED("Paused the schedule: it enqueues nothing until resumed"),
    SCHEDULE_RESUMED("Resumed the schedule from its next tick"),
    NOT_DONE("Nothing done: the job changed meanwhile (%d)"),
    BATCH_CANCELLED("Cancelled the batch: its pending members are cancelled, running ones asked to stop"),
    BATCH_CLOSED("Closed the batch: it ends when its last member finishes"),
    BATCH_NOT_DONE("Nothing done: the batch has ended or changed meanwhile"),
    SIGNED_OUT("Signed out");

    private final String text;

    Flash(String text) {
        this.text = text;
    }

    String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    String text(long count) {
        return String.format(Locale.ROOT, text, count);
    }

    static Optional<Flash> of(String code) {
        for (Flash f : values()) {
            if (f.code().equals(code)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The page's flash line, or empty for an unknown code; the count is clamped, never echoed as text. */
    static String render(String code, String count) {
        long n;
        try {
            n = count == null ? 0 : Math.max(0, Math.min(1_000_000_000L, Long.parseLong(count)));
        } catch (NumberFormatException e) {
            n = 0;
        }
        long shown = n;
        return of(code).map(f -> f.text(shown)).orElse("");
    }
}
