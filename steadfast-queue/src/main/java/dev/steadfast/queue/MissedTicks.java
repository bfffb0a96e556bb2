package dev.steadfast.queue;

import java.util.Locale;

/**
 * What a schedule does with ticks that passed while no worker ran (more than a minute late): a tick that comes
 * due while workers run is always enqueued.
 */
public enum MissedTicks {
    /** Enqueue none of them: the next job is the next tick's. */
    SKIP,
    /** Enqueue one job for all of them. */
    ONCE,
    /** Enqueue one job per missed tick, up to {@value Schedule#MAX_CATCH_UP} (the most recent ones). */
    ALL;

    /** The word stored and typed: {@code skip}, {@code once}, {@code all}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The policy a word names; IllegalArgumentException for another word. */
    public static MissedTicks of(String word) {
        for (MissedTicks m : values()) {
            if (m.word().equals(word)) {
                return m;
            }
        }
        throw new IllegalArgumentException("missed ticks are skip, once or all, not '" + word + "'");
    }
}
