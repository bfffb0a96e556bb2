package dev.steadfast.queue.internal.store;

/**
 * Whether the unit of work running on this thread made a job claimable that no enqueue announced: a batch's callback
 * enqueued, or a waiting job whose parents may all have succeeded made pending, by the end of another job. The writer of
 * an outcome {@link #reset}s it at the start of its unit of work (a unit of work may be replayed: only its last run
 * counts) and {@link #take}s it after the commit, then wakes the workers so they claim at once, not at their next idle
 * poll. A flag in memory, set where the statements are built: it costs no statement. It may say yes for a job that is
 * not claimable yet (a child with parents still unmet): then a worker polls once for nothing.
 */
public final class Claimable {
    private static final ThreadLocal<Boolean> MADE = new ThreadLocal<>();

    private Claimable() {}

    /** Called where a job may have become claimable, inside the unit of work. */
    static void mark() {
        MADE.set(Boolean.TRUE);
    }

    /** Forgets what an earlier (rolled back) run of this thread's unit of work marked; call at its start. */
    public static void reset() {
        MADE.remove();
    }

    /** Whether the unit of work that just committed on this thread marked anything; forgets it. */
    public static boolean take() {
        boolean made = MADE.get() != null;
        MADE.remove();
        return made;
    }
}
