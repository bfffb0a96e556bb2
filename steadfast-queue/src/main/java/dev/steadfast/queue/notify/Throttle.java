package dev.steadfast.queue.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a storm into a few messages. The first event of a key goes out at once; identical events in the
 * following window are counted and go out as one message with the count when the window ends. On top,
 * at most {@code maxPerMinute} messages leave per minute; what the limit holds back is folded into its
 * key's next aggregate instead of being dropped. Not thread-safe: one dispatcher thread owns it.
 */
final class Throttle {
    private final Duration window;
    private final int maxPerMinute;
    private final Clock clock;
    private final Map<String, Window> windows = new LinkedHashMap<>();
    private final Deque<Instant> sent = new ArrayDeque<>();

    /** Events of one key since its last message. */
    private static final class Window {
        Instant end;
        int held;
        Notification last;

        Window(Instant end) {
            this.end = end;
        }
    }

    Throttle(Duration window, int maxPerMinute, Clock clock) {
        this.window = window;
        this.maxPerMinute = maxPerMinute;
        this.clock = clock;
    }

    /** Takes an event; returns what to send now (the event itself, or nothing while its key is aggregating). */
    List<Notification> offer(Notification n) {
        Instant now = clock.instant();
        Window open = windows.get(n.key());
        if (open == null) {
            open = new Window(now.plus(window));
            windows.put(n.key(), open);
            if (allow(now)) {
                return List.of(n);
            }
        }
        open.held += n.count();
        open.last = n;
        return List.of();
    }

    /** The aggregates whose window has ended, as far as the rate limit lets them out. */
    List<Notification> due() {
        Instant now = clock.instant();
        List<Notification> out = new ArrayList<>();
        for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
            Window w = it.next();
            if (w.end.isAfter(now)) {
                continue;
            }
            if (w.held == 0) {
                it.remove();
            } else if (allow(now)) {
                out.add(w.last.times(w.held, w.last.at()));
                w.held = 0;
                w.last = null;
                w.end = now.plus(window); // identical events right after the aggregate keep aggregating
            }
        }
        return out;
    }

    /** Everything still held, regardless of windows and limits: the process is stopping. */
    List<Notification> drain() {
        List<Notification> out = new ArrayList<>();
        windows.values().stream().filter(w -> w.held > 0).forEach(w -> out.add(w.last.times(w.held, w.last.at())));
        windows.clear();
        return out;
    }

    private boolean allow(Instant now) {
        while (!sent.isEmpty() && sent.peekFirst().isBefore(now.minus(Duration.ofMinutes(1)))) {
            sent.pollFirst();
        }
        if (sent.size() >= maxPerMinute) {
            return false;
        }
        sent.addLast(now);
        return true;
    }
}
