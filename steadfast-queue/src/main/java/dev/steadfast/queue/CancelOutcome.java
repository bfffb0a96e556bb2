package dev.steadfast.queue;

/** What {@link JobQueue#cancel(long)} did to a job. */
public enum CancelOutcome {
    /** It was waiting (pending or scheduled) and is cancelled now: it will not run. */
    CANCELLED,
    /**
     * It is running: its worker is asked to stop it (the handler sees {@link JobContext#isCancelled()} and an
     * interrupt), and the job ends cancelled instead of being retried, unless it finishes first.
     */
    STOP_REQUESTED,
    /** It had already finished (succeeded, failed or cancelled): nothing changed. */
    ALREADY_FINISHED,
    /** No job has this id (or it was purged). */
    NOT_FOUND
}
