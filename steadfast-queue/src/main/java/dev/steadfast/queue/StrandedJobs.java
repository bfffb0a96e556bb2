package dev.steadfast.queue;

import java.time.Duration;

/**
 * Due jobs of one queue and type that no live worker will start: none claims from the queue, or those that do have
 * no handler for the type (a typo'd type, a handler not deployed yet). They wait until such a worker comes.
 *
 * @param queue       the queue
 * @param type        the job type
 * @param due         how many are due, counted up to {@link #COUNTED_UP_TO} (a larger backlog shows as one more)
 * @param oldestWait  how long the oldest of them has been due
 * @param queueServed whether some live worker claims from the queue (then none of them handles the type)
 */
public record StrandedJobs(String queue, String type, long due, Duration oldestWait, boolean queueServed) {
    /** Due jobs are counted up to this many per queue and type; a count above it means "more". */
    public static final long COUNTED_UP_TO = QueueCounts.EXACT_UP_TO;

    /** Whether there are more than {@link #COUNTED_UP_TO} (then {@link #due()} is that plus one). */
    public boolean dueCapped() {
        return due > COUNTED_UP_TO;
    }

    /** {@code 3 due job(s) of type X in queue Q, oldest waiting 4 min: no live worker handles X in Q}. */
    public String describe() {
        return (dueCapped() ? "more than " + COUNTED_UP_TO : String.valueOf(due)) + " due job(s) of type " + type
                + " in queue "
                + queue + ", oldest waiting " + waited(oldestWait) + ": "
                + (queueServed
                        ? "no live worker handles " + type + " in " + queue
                        : "no live worker serves queue " + queue);
    }

    /** {@code 42 s}, {@code 12 min}, {@code 3 h 5 min}: a wait as an operator reads it. */
    static String waited(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 120) {
            return s + " s";
        }
        if (s < 7200) {
            return s / 60 + " min";
        }
        return s / 3600 + " h " + s % 3600 / 60 + " min";
    }
}
