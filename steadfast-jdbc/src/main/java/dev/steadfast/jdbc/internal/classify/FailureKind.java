package dev.steadfast.jdbc.internal.classify;

/** What an {@link java.sql.SQLException} means for the unit of work that saw it. */
public enum FailureKind {
    /** Not a connection problem (a constraint, syntax, data error): the caller's to handle. */
    NOT_CONNECTION(false),
    /** The connection was gone before the statement reached the server: nothing was executed. */
    LOST_BEFORE_SENT(true),
    /** The connection broke while a statement was in flight: it may have executed. */
    LOST_MAYBE_EXECUTED(true),
    /** The server refused a write because it is read-only now (after a failover): find the new primary. */
    READ_ONLY_SERVER(true),
    /**
     * The server is up but refuses application work: a Galera node not yet prepared, or in a non-primary component
     * after a partition (1047). Nothing was executed; write through another node.
     */
    NODE_UNUSABLE(true),
    /**
     * The server rolled the transaction back (deadlock, lock wait timeout, a Galera certification conflict, Group
     * Replication's 3101): the connection is fine.
     */
    TRANSACTION_ROLLED_BACK(false),
    /** The statement is larger than the server's max_allowed_packet: replaying cannot help. */
    PACKET_TOO_LARGE(false);

    private final boolean connectionBroken;

    FailureKind(boolean connectionBroken) {
        this.connectionBroken = connectionBroken;
    }

    /** Whether the server itself cannot take writes now, so that writes must go to another server of a list. */
    public boolean serverRefuses() {
        return this == NODE_UNUSABLE || this == READ_ONLY_SERVER;
    }

    /** Whether the connection must be evicted from the pool. */
    public boolean connectionBroken() {
        return connectionBroken;
    }

    /** Whether running the whole unit again on another connection can succeed. */
    public boolean replayable() {
        return connectionBroken || this == TRANSACTION_ROLLED_BACK;
    }
}
