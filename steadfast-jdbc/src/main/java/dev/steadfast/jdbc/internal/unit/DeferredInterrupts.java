package dev.steadfast.jdbc.internal.unit;

/** Interrupts that arrive while a unit of work runs, re-asserted on the thread when it ends. */
final class DeferredInterrupts {
    private boolean seen;

    /** Clears the thread's interrupt status, remembering it. */
    void absorb() {
        seen |= Thread.interrupted();
    }

    /** Remembers an interrupt that ended a sleep (which already cleared the status). */
    void interruptedSleep() {
        seen = true;
    }

    /** Sets the thread's interrupt status again if any interrupt arrived. */
    void restore() {
        absorb();
        if (seen) {
            Thread.currentThread().interrupt();
        }
    }
}
