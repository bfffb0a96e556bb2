package dev.steadfast.queue;

/**
 * A dependency that cannot be: a job asked to run after a job that does not exist (unknown, or finished and purged)
 * or that failed or was cancelled, or a workflow whose steps form a cycle or run after a step it does not declare.
 * Nothing was enqueued. Its message is one line fit to show whoever asked.
 */
public class DependencyException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public DependencyException(String message) {
        super(message);
    }
}
