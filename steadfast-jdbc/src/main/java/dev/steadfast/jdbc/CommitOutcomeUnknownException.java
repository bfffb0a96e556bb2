package dev.steadfast.jdbc;

/**
 * The connection broke while a COMMIT was in flight and whether it committed could not be proven
 * within the deadline. The unit was not replayed, because replaying could duplicate its writes.
 */
public class CommitOutcomeUnknownException extends SteadfastSqlException {
    private static final long serialVersionUID = 1L;

    public CommitOutcomeUnknownException(String message, Throwable cause) {
        super(message, "08007", 0, cause);
    }
}
