package dev.steadfast.web.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows token guessing down, from the login form and {@code Authorization} headers alike: after {@link #FREE_FAILURES} wrong tokens from one address, that address must
 * wait before its next try, twice as long after each further failure (up to {@link #LONGEST_WAIT}); a
 * success clears it. Refused attempts are answered at once (429 with {@code Retry-After}) instead of by
 * sleeping, so guessing cannot tie up the server's threads either. Across all addresses, at most
 * {@link #GLOBAL_PER_MINUTE} failures a minute are checked at all.
 */
public final class LoginThrottle {
    public static final int FREE_FAILURES = 5;
    static final Duration LONGEST_WAIT = Duration.ofMinutes(15);
    static final int GLOBAL_PER_MINUTE = 60;
    private static final int MAX_TRACKED = 10_000;

    private record Failures(int count, Instant retryAt) {}

    private final Map<String, Failures> byAddress = new ConcurrentHashMap<>();
    private final Clock clock;
    private Instant minuteStart;
    private int failuresThisMinute;

    LoginThrottle(Clock clock) {
        this.clock = clock;
        this.minuteStart = clock.instant();
    }

    /** How long {@code address} must still wait; zero when it may try now. */
    synchronized Duration waitFor(String address) {
        Instant now = clock.instant();
        rollMinute(now);
        if (failuresThisMinute >= GLOBAL_PER_MINUTE) {
            return Duration.between(now, minuteStart.plusSeconds(60));
        }
        Failures f = byAddress.get(address);
        if (f == null || f.retryAt() == null || !now.isBefore(f.retryAt())) {
            return Duration.ZERO;
        }
        return Duration.between(now, f.retryAt());
    }

    synchronized void failed(String address) {
        Instant now = clock.instant();
        rollMinute(now);
        failuresThisMinute++;
        if (byAddress.size() >= MAX_TRACKED) {
            byAddress.clear(); // a flood of addresses: the global limit still holds
        }
        int count = byAddress.getOrDefault(address, new Failures(0, null)).count() + 1;
        Instant retryAt = null;
        if (count >= FREE_FAILURES) {
            long seconds = Math.min(LONGEST_WAIT.toSeconds(), 1L << Math.min(20, count - FREE_FAILURES));
            retryAt = now.plusSeconds(seconds);
        }
        byAddress.put(address, new Failures(count, retryAt));
    }

    /** A wait in whole seconds for {@code Retry-After}, rounded up, at least 1. */
    static long seconds(Duration wait) {
        return Math.max(1, wait.toSeconds() + (wait.toMillisPart() > 0 ? 1 : 0));
    }

    synchronized void succeeded(String address) {
        byAddress.remove(address);
    }

    private void rollMinute(Instant now) {
        if (!now.isBefore(minuteStart.plusSeconds(60))) {
            minuteStart = now;
            failuresThisMinute = 0;
        }
    }
}
