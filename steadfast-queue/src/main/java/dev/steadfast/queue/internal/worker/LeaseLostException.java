package dev.steadfast.queue.internal.worker;

/** The job's lease was taken over (it expired) before its transactional success could be recorded. */
public final class LeaseLostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LeaseLostException(long jobId) {
        super("lease of job " + jobId + " was lost; its transaction was rolled back");
    }
}
